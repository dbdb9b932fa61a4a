"""One module per sub-command; each defines `add_parser(subparsers)` and `run(args) -> int`.
Heavy imports (the model, audio devices) stay inside `run` so `--help` is instant."""
