"""The read stage: turn input paths into Articles, and bad input into one-line InputErrors.

Inputs and what becomes of them:
1. ``-`` is standard input: JSON Lines when its first character is ``{``, else one text article;
   its articles without an id get ``stdin-`` and a digest of their text, unique per text.
2. A folder is read recursively, in sorted order, taking the files whose suffix is known.
3. ``.txt``: one article; its id is the file stem; the first non-empty line is the title.
4. ``.html``/``.htm``: one article; trafilatura extracts the body (comments excluded) and metadata.
5. ``.jsonl``: one article a line; ``.json``: one object or a list of them. Fields ``id``, ``text``
   or ``html``, ``title``, ``published``, ``url``, ``outlet``; a missing id becomes ``STEM-LINE``.
   An id made from a file's name has an alternative unique to the file (``alternative_id``),
   which a run gives the article when another file already holds the name
   (``a/report.txt`` and ``b/report.txt``).
6. Text is UTF-8, or UTF-16 when it starts with a byte order mark; a JSON string holding a lone
   surrogate (``"\\ud800"``) is that record's error, as is JSON too deep or a number too long.
7. A date line near the top (``date 2020-02-15 ... - Source: Iraq News``) gives ``published`` and
   ``outlet`` when the input did not, and is recorded as removed, like the title line.

Reading sets: id, source, raw_text, title, published, outlet, url, removed.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from whodid.config import Options
from whodid.knowledge.rules import packaged, yaml_mapping
from whodid.model import Article, InputError, RemovedSpan

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".jsonl", ".json"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

# Magic numbers of the binary formats most often found where text was expected.
BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d %Y", "%B %d, %Y", "%Y/%m/%d")


class BadInput(Exception):
    """An input that cannot become an article; the message says what was wrong."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class MetadataRules:
    """The patterns of ``data/metadata.yaml`` compiled."""

    date_lines: tuple[re.Pattern[str], ...]
    date_line_window: int
    title_max_words: int
    datelines: tuple[re.Pattern[str], ...]
    standalone_datelines: tuple[re.Pattern[str], ...]
    dateline_window: int
    dateline_reach: int


@cache
def metadata_rules() -> MetadataRules:
    """Return the metadata patterns shipped in ``data/metadata.yaml``, compiled once."""
    data = yaml_mapping(packaged("metadata.yaml"))
    return MetadataRules(
        date_lines=tuple(re.compile(p) for p in data["date_lines"]),
        date_line_window=data["date_line_window"],
        title_max_words=data["title_max_words"],
        datelines=tuple(re.compile(p) for p in data["datelines"]),
        standalone_datelines=tuple(re.compile(p) for p in data["standalone_datelines"]),
        dateline_window=data["dateline_window"],
        dateline_reach=data["dateline_reach"],
    )


def read_inputs(inputs: Iterable[str], options: Options) -> Iterator[Article | InputError]:
    """Yield an Article for every article in ``inputs`` and an InputError for every bad one."""
    for name in inputs:
        if name == "-":
            yield from _read_stdin(options)
            continue
        path = Path(name)
        if not path.exists():
            yield InputError(name, "no such file or directory")
        elif path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.suffix.lower() in KNOWN_SUFFIXES:
                    yield from read_file(file, options)
        else:
            yield from read_file(path, options)


def read_file(path: Path, options: Options) -> Iterator[Article | InputError]:
    """Yield the articles of one file (by its suffix), or the InputErrors it holds."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSON_SUFFIXES:
            with path.open("rb") as stream:
                whole = suffix == ".json"
                yield from _read_json_stream(_utf8_stream(stream), str(path), path.stem, whole,
                                             options)
            return
        if suffix not in KNOWN_SUFFIXES:
            raise BadInput(f"unsupported file type {path.suffix or '(none)'!r}; expected one of "
                           + ", ".join(sorted(KNOWN_SUFFIXES)))
        text = decode_text(_read_bytes(path, options.max_article_bytes))
        if suffix in HTML_SUFFIXES:
            yield article_from_html(path.stem, str(path), text)
        else:
            yield article_from_text(path.stem, str(path), text)
    except BadInput as e:
        yield InputError(str(path), str(e), e.line)
    except OSError as e:
        yield InputError(str(path), f"cannot read: {e.strerror or e}")


def _utf8_stream(stream: BinaryIO) -> BinaryIO:
    """Return ``stream``, or its text re-encoded as UTF-8 when it starts with a UTF-16 byte
    order mark (whose lines a byte-wise reader cannot split)."""
    head = stream.read(2)
    stream.seek(0)
    if head not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return stream
    try:
        return io.BytesIO(stream.read().decode("utf-16").encode("utf-8"))
    except UnicodeDecodeError as e:
        raise BadInput(f"invalid UTF-16 at byte {e.start}") from e


def _read_stdin(options: Options) -> Iterator[Article | InputError]:
    """Yield the articles given on standard input (JSON Lines or one text)."""
    stream = sys.stdin.buffer
    first_line = stream.readline()
    if first_line.lstrip().startswith(b"{"):
        lines = itertools.chain([first_line], stream)
        yield from _read_json_stream(lines, "<stdin>", "stdin", False, options)
        return
    try:
        data = first_line + stream.read(options.max_article_bytes + 1 - len(first_line))
        if len(data) > options.max_article_bytes:
            raise BadInput(_too_large(len(data), options.max_article_bytes, "more than "))
        text = decode_text(data)
        yield article_from_text(f"stdin-{text_digest(text)}", "<stdin>", text)
    except BadInput as e:
        yield InputError("<stdin>", str(e), e.line)


def _read_bytes(path: Path, limit: int) -> bytes:
    """Return the bytes of ``path``, refusing files larger than ``limit``."""
    size = path.stat().st_size
    if size > limit:
        raise BadInput(_too_large(size, limit))
    return path.read_bytes()


def _too_large(size: int, limit: int, more: str = "") -> str:
    return (f"too large for one article ({more}{size / 1e6:.1f} MB; the limit is "
            f"{limit / 1e6:.1f} MB, option max_article_bytes: a news article is rarely over "
            "0.1 MB, and coding takes about 35 s and 0.8 GB a MB)")


def decode_text(data: bytes, line: int | None = None) -> str:
    """Return ``data`` decoded as UTF-8 text, or raise BadInput saying why it is not text."""
    if not data.strip():
        raise BadInput("empty: no text to code", line)
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise BadInput(f"binary file, not text (looks like {kind})", line)
    utf16 = _utf16_text(data, line)
    if utf16 is not None:
        return utf16.replace("\r\n", "\n").replace("\r", "\n")
    if b"\x00" in data[:8192]:
        raise BadInput("binary file, not text (it holds NUL bytes)", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadInput(f"invalid UTF-8 at byte {e.start} (0x{data[e.start]:02x}); "
                       "save the file as UTF-8", line) from e
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_text(data: bytes, line: int | None) -> str | None:
    """Return ``data`` decoded when it starts with a UTF-16 byte order mark (as editors and
    browsers read it), else None."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as e:
        raise BadInput(f"invalid UTF-16 at byte {e.start}", line) from e


def lone_surrogate(text: str) -> int | None:
    """Return the index of the first lone surrogate in ``text`` (a JSON ``"\\ud800"`` that
    no UTF-8 can hold), or None."""
    match = _SURROGATE.search(text)
    return match.start() if match else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _read_json_stream(stream: Any, source: str, stem: str, whole: bool,
                      options: Options) -> Iterator[Article | InputError]:
    """Yield the articles of a JSON Lines stream (or, when ``whole``, one JSON document)."""
    if whole:
        try:
            data = decode_text(stream.read())
            records = json.loads(data)
        except BadInput as e:
            yield InputError(source, str(e))
            return
        except json.JSONDecodeError as e:
            yield InputError(source, _json_problem(e), e.lineno)
            return
        except (ValueError, RecursionError) as e:
            yield InputError(source, _json_limit(e))
            return
        items = records if isinstance(records, list) else [records]
        for index, record in enumerate(items, start=1):
            yield _article_or_error(record, source, f"{stem}-{index}", None,
                                    options.max_article_bytes)
        return
    seen_any = False
    for line_number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        seen_any = True
        try:
            if len(raw) > options.max_article_bytes:
                raise BadInput(_too_large(len(raw), options.max_article_bytes), line_number)
            record = json.loads(decode_text(raw, line_number))
        except BadInput as e:
            yield InputError(source, str(e), e.line)
            continue
        except json.JSONDecodeError as e:
            yield InputError(source, _json_problem(e), line_number)
            continue
        except (ValueError, RecursionError) as e:
            yield InputError(source, _json_limit(e), line_number)
            continue
        default_id = f"{stem}-{line_number}"
        if source == "<stdin>":  # unique per text: another run's stdin is another source
            default_id = f"stdin-{text_digest(str(record.get('text') or record.get('html')))}"
        yield _article_or_error(record, source, default_id, line_number,
                                options.max_article_bytes)
    if not seen_any:
        yield InputError(source, "empty: no JSON lines to code")


def _json_problem(error: json.JSONDecodeError) -> str:
    """Return what was wrong with a JSON text, and where in its line."""
    return f"malformed JSON: {error.msg.removesuffix(' at')} at column {error.colno}"


def _json_limit(error: ValueError | RecursionError) -> str:
    """Return why a well-formed JSON text could not be read (a number of thousands of digits,
    nesting deeper than Python's recursion limit)."""
    if isinstance(error, RecursionError):
        return "JSON nested too deeply"
    return f"unreadable JSON: {error}"


def _article_or_error(record: Any, source: str, default_id: str, line: int | None,
                      max_bytes: int) -> Article | InputError:
    """Return the Article a JSON record describes, or an InputError saying what it lacks."""
    where = source if line is None else f"{source}:{line}"
    try:
        return article_from_record(record, where, default_id, max_bytes)
    except BadInput as e:
        return InputError(source, str(e), line)


def article_from_record(record: Any, source: str, default_id: str,
                        max_bytes: int | None = None) -> Article:
    """Return the Article of one JSON record (id, text|html, title, published, url, outlet);
    BadInput when its text or HTML is over ``max_bytes`` (UTF-8) when given."""
    if not isinstance(record, dict):
        raise BadInput(f"expected a JSON object, got {type(record).__name__}")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise BadInput("no 'text' or 'html' field with a string")
    for content in (text, html):
        size = len(content.encode("utf-8", "surrogatepass")) if isinstance(content, str) else 0
        if max_bytes is not None and size > max_bytes:
            raise BadInput(_too_large(size, max_bytes))
    for key in ("id", "text", "html", "title", "published", "url", "outlet"):
        value = record.get(key)
        at = lone_surrogate(value) if isinstance(value, str) else None
        if isinstance(value, str) and at is not None:
            raise BadInput(f"field {key!r} holds a lone surrogate (U+{ord(value[at]):04X}) at "
                           f"character {at}: not Unicode text")
    article_id = str(record.get("id") or default_id)
    if isinstance(text, str) and text.strip():
        article = article_from_text(article_id, source, text, title_from_first_line=False)
    elif isinstance(html, str) and html.strip():
        article = article_from_html(article_id, source, html)
    else:
        raise BadInput("empty: no text to code")
    for key in ("title", "url", "outlet"):
        if isinstance(record.get(key), str) and record[key].strip():
            setattr(article, key, record[key].strip())
    if record.get("published"):
        article.published = normalise_date(str(record["published"])) or article.published
    article.content_hash = content_hash(article)
    return article


def article_from_text(article_id: str, source: str, text: str,
                      title_from_first_line: bool = True) -> Article:
    """Return the Article of a plain text: its title line and date line found and marked removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BadInput("empty: no text to code")
    article = Article(id=article_id, source=source, raw_text=text)
    rules = metadata_rules()
    lines = list(_nonempty_lines(text))
    for start, end in lines[: rules.date_line_window]:
        match = _match_date_line(text[start:end].strip(), rules)
        if match is not None:
            published, outlet = match
            article.published = published
            article.outlet = outlet
            article.removed.append(RemovedSpan(start, end, "date line", text[start:end]))
            break
    if title_from_first_line:
        removed_starts = {span.start for span in article.removed}
        candidates = [line for line in lines if line[0] not in removed_starts]
        if candidates:
            start, end = candidates[0]
            title = text[start:end].strip()
            if len(title.split()) <= rules.title_max_words:
                article.title = title
                article.removed.append(RemovedSpan(start, end, "title", text[start:end]))
    article.content_hash = content_hash(article)
    return article


def article_from_html(article_id: str, source: str, html: str) -> Article:
    """Return the Article of an HTML page: trafilatura's main text (no comments), metadata."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body or not body.strip():
        raise BadInput("HTML with no article text that trafilatura could extract")
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    title = (getattr(extracted, "title", None) or "").strip() or None
    article = Article(id=article_id, source=source, raw_text="\n\n".join(paragraphs), title=title)
    if title and paragraphs and paragraphs[0] == title:
        article.removed.append(RemovedSpan(0, len(title), "title", title))
    article.published = normalise_date(getattr(extracted, "date", None) or "")
    article.outlet = (getattr(extracted, "sitename", None) or "").strip() or None
    article.url = getattr(extracted, "url", None) or None
    article.content_hash = content_hash(article)
    return article


def _nonempty_lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each line of ``text`` that holds more than whitespace."""
    for match in re.finditer(r"[^\n]*", text):
        if match.group().strip():
            yield match.start(), match.end()


def _match_date_line(line: str, rules: MetadataRules) -> tuple[str, str | None] | None:
    """Return (ISO date, outlet or None) when ``line`` is a publication date line."""
    for pattern in rules.date_lines:
        match = pattern.fullmatch(line)
        if match:
            published = normalise_date(match.group("date"))
            if published:
                groups = match.groupdict()
                outlet = (groups.get("outlet") or "").strip() or None
                return published, outlet
    return None


def normalise_date(value: str) -> str | None:
    """Return ``value`` (ISO date or timestamp, "15 February 2020", "March 3, 2019") as ISO."""
    value = re.sub(r"^\w+day,?\s+", "", value.strip())
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    cleaned = value.replace(",", " ").split()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(" ".join(cleaned), fmt.replace(",", "")).date().isoformat()
        except ValueError:
            continue
    return None


def text_digest(text: str) -> str:
    """Return the first 12 hex digits of the SHA-256 of ``text``: the id of a nameless input."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def alternative_id(article: Article) -> str | None:
    """Return the id ``article`` takes when the id made from its file's name (``STEM`` or
    ``STEM-LINE``) is held by another source: that id, a dash and 8 hex digits of the SHA-256
    of the file's absolute path, the same in every run. None for an id the input gave or for
    standard input, whose ids are digests of its texts."""
    if article.source.startswith("<stdin>"):
        return None
    file = Path(source_file(article.source))
    numbered = re.fullmatch(re.escape(file.stem) + r"-\d+", article.id)
    if article.id != file.stem and numbered is None:
        return None
    return f"{article.id}-{text_digest(str(file.resolve()))[:8]}"


def source_file(source: str) -> str:
    """Return the file of an article's source (``batch.jsonl:12`` -> ``batch.jsonl``)."""
    return re.sub(r":\d+$", "", source)


def content_hash(article: Article) -> str:
    """Return a SHA-256 over what the input says of the article (text and given metadata)."""
    digest = hashlib.sha256()
    for part in (article.id, article.raw_text, article.title, article.published, article.url,
                 article.outlet):
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()
