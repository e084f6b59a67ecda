"""What whodid knows before reading an article: the actor knowledge base, the CAMEO/PLOVER
codebook, the gazetteer, importers of third-party dictionaries and the loader of our rule files."""
