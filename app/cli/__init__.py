"""The `carebinder` command line. `app.cli.main` holds the parser, the dispatch and the entry
points (`main`, `gui_main`); `common` the helpers every command group shares; each other
module one group of commands (`documents`, `care`, `export`...)."""
