"""ruff and mypy (strict) are clean; the shipped examples are the canonical seed articles."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from .conftest import REPO, SEEDS, SHARED


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "whodid", "tests",
                             "benchmarks"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_examples_are_the_shared_seed_articles() -> None:
    shared = SHARED / "corpus" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared is not beside this checkout")
    for path in sorted(shared.glob("*.txt")):
        assert (SEEDS / path.name).read_bytes() == path.read_bytes()


def test_ci_runs_exactly_the_test_command_of_the_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    commands = [line for line in readme.splitlines() if line.startswith("python3 -m venv")]
    assert len(commands) == 2, "README keeps two set-up commands at its top"
    install_and_code, test = commands
    assert "whodid code examples/seeds --db whodid.db" in install_and_code
    assert test in (REPO / ".ci" / "run").read_text("utf-8").splitlines()
    assert "pytest" in test


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def test_no_module_over_600_lines_and_no_function_over_80() -> None:
    too_long = []
    for path in sorted((REPO / "whodid").rglob("*.py")):
        text = path.read_text("utf-8")
        name = path.relative_to(REPO)
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []
