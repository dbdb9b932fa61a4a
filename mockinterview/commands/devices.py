"""`mockinterview devices`: the microphones and speakers PortAudio sees."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ._common import print_json


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "devices",
        help="list audio inputs and outputs",
        description=(
            "List the audio input and output devices, the defaults marked with *. Use the index or part of "
            "the name with --input-device/--output-device. With no audio server running the list is empty: "
            "that is said on stderr and the exit code is still 0 (the empty list is the answer); "
            "`record` and `check` fail in that case."
        ),
        epilog="example: mockinterview devices --format json",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..audio.devices import NO_SERVER_HINT, list_devices

    devices = list_devices()
    inputs = [d for d in devices if d.input_channels > 0]
    outputs = [d for d in devices if d.output_channels > 0]
    if args.format == "json":
        print_json({"inputs": inputs, "outputs": outputs})
    else:
        console = Console(highlight=False)
        for title, group, is_default, channels in (
            ("Inputs", inputs, lambda d: d.is_default_input, lambda d: d.input_channels),
            ("Outputs", outputs, lambda d: d.is_default_output, lambda d: d.output_channels),
        ):
            console.print(f"[bold]{title}[/]")
            if not group:
                console.print("  none")
                continue
            table = Table(box=None, pad_edge=False, show_header=False)
            for column in ("default", "index", "name", "api", "channels", "rate"):
                table.add_column(column, no_wrap=column != "name", justify="right" if column in ("index", "channels", "rate") else "left")
            for d in group:
                table.add_row(
                    "  *" if is_default(d) else "   ",
                    str(d.index),
                    escape(d.name),
                    escape(d.host_api),
                    f"{channels(d)} ch",
                    f"{d.default_sample_rate_hz} Hz",
                )
            console.print(table)
    if not inputs and not outputs:
        print(f"mockinterview devices: no audio devices found; {NO_SERVER_HINT}", file=sys.stderr)
    return 0
