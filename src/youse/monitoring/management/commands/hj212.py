"""`youse hj212 decode|encode|simulate`: the HJ 212 codec and the data-logger simulator from the shell."""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "HJ 212 tools: decode raw bytes to JSON, encode JSON to packets, simulate data loggers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="tool", required=True)
        decode = sub.add_parser("decode", help="raw bytes (a file or stdin) → one JSON object per frame")
        decode.add_argument("file", nargs="?", help="file of raw bytes; stdin when absent")
        decode.add_argument("--max-frame", type=int, default=9999, help="largest data segment accepted")
        encode = sub.add_parser("encode", help="JSON objects (one per line, as decode prints) → packets")
        encode.add_argument("file", nargs="?", help="file of JSON lines; stdin when absent")
        encode.add_argument("--crc", default="hj212", choices=["hj212", "modbus", "modbus-swapped"])
        simulate = sub.add_parser("simulate", help="play data loggers against a gateway")
        simulate.add_argument("--target", required=True, help="HOST:PORT of the gateway")
        simulate.add_argument("--points", type=int, default=10)
        simulate.add_argument("--rate", type=float, default=1.0, help="packets per second per point")
        simulate.add_argument("--duration", type=float, default=60.0, help="seconds; 0 runs until stopped")
        simulate.add_argument("--dialect", choices=["2005", "2017"], default="2017")
        simulate.add_argument("--faults", action="store_true", help="garbage, split and sticky packets, bad CRCs")
        simulate.add_argument("--mn-prefix", default="", help="MNs of registered points start with this")
        simulate.add_argument("--from-database", action="store_true", help="play the registered points' MN and PW")
        simulate.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options) -> None:
        tool = options.pop("tool")
        if tool == "decode":
            from youse.monitoring.hj212 import cli

            code = cli.decode_main(options, sys.stdin.buffer, self.stdout)
        elif tool == "encode":
            from youse.monitoring.hj212 import cli

            code = cli.encode_main(options, sys.stdin, sys.stdout.buffer)
        else:
            from youse.monitoring.hj212 import simulator

            code = simulator.main(options, self.stdout)
        if code:
            raise CommandError(f"hj212 {tool} failed (exit {code})", returncode=code)
