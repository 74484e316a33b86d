# ruff: noqa: E501  (the standard's example packets are kept as literals, one per line)
"""HJ 212 codec: Appendix C examples byte for byte, framing properties, fuzzing, CRC variants, typos, 2005
packets, sub-packet reassembly."""

import random
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from youse.monitoring.hj212 import crc
from youse.monitoring.hj212.codec import (
    BEIJING,
    FrameDecoder,
    decode_one,
    encode,
    encode_segment,
    frame_packet,
    reply_9013,
    reply_9014,
)
from youse.monitoring.hj212.codes import FACTORS, LEGACY_TO_2017
from youse.monitoring.hj212.reassembly import Reassembler

FACTS_PACKET = (
    b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    b"CP=&&RtdInterval=30&&1C80\r\n"
)

# Every data segment of Appendix C (tables C.1-C.50), as printed in hj212-2017.txt, line breaks joined.
# The standard's "…" ("and so on") is left out; nothing else is changed.
EXACT = [
    (
        "C.1",
        "QN=20160801085857223;ST=32;CN=1000;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&OverTime=5;ReCount=3&&",
    ),
    ("C.1", "QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&"),
    ("C.1", "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&ExeRtn=1&&"),
    ("C.2", "QN=20160801085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&"),
    (
        "C.3",
        "QN=20160801085857223;ST=32;CN=1012;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018;SystemTime=20160801085857&&",
    ),
    ("C.5", "QN=20160801085857223;ST=32;CN=1061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
    ("C.5", "QN=20160801085857223;ST=32;CN=1061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&RtdInterval=30&&"),
    ("C.6", "QN=20160801085857223;ST=32;CN=1062;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"),
    ("C.7", "QN=20160801085857223;ST=32;CN=1063;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
    ("C.7", "QN=20160801085857223;ST=32;CN=1063;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&MinInterval=10&&"),
    ("C.8", "QN=20160801085857223;ST=32;CN=1064;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&MinInterval=10&&"),
    ("C.9", "QN=20160801085857223;ST=32;CN=1072;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&NewPW=654321&&"),
    ("C.10", "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
    ("C.11", "QN=20160801085857223;ST=32;CN=2012;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
    ("C.11", "QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
    ("C.12", "QN=20160801085857223;ST=32;CN=2021;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
    ("C.13", "QN=20160801085857223;ST=32;CN=2022;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
    ("C.14", "QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
    (
        "C.15",
        "QN=20160801085857223;ST=32;CN=2021;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;SB1-RS=1;SB2-RS=0&&",
    ),
    (
        "C.16",
        "QN=20160801085000001;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801084000;w00000-Cou=10.5,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=10.5,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
    ),
    ("C.16", "QN=20160801085000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
    (
        "C.17",
        "QN=20160801090000001;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
    ),
    ("C.17", "QN=20160801090000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
    (
        "C.18",
        "QN=20160802000000001;ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801000000;w00000-Cou=1512.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=2142.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
    ),
    ("C.18", "QN=20160802000000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
    (
        "C.20",
        "QN=20160801085857223;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&BeginTime=20160801084000;EndTime=20160801084000&&",
    ),
    (
        "C.20",
        "QN=20160801085857534;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801084000;w00000-Cou=10.5,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=10.5,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
    ),
    (
        "C.21",
        "QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&BeginTime=20160801080000;EndTime=20160801080000&&",
    ),
    (
        "C.21",
        "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
    ),
    (
        "C.22",
        "QN=20160801085857223;ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&BeginTime=20160801000000;EndTime=20160801000000&&",
    ),
    (
        "C.23",
        "QN=20160801085857534;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801000000;SB1-RT=1.1;SB2-RT=2.1&&",
    ),
    (
        "C.24",
        "QN=20160801085857223;ST=32;CN=2081;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;RestartTime=20160801085624&&",
    ),
    (
        "C.26",
        "QN=20160801085000001;ST=23;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801084000;L5-Data=53.0;L10-Data=53.0;L50-Data=49.0;L90-Data=45.0;L95-Data=43.0;Leq-Data=50.0;LMx-Data=54.0;LMn-Data=42.0&&",
    ),
    (
        "C.27",
        "QN=20160801090000001;ST=23;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;L5-Data=53.0;L10-Data=53.0;L50-Data=49.0;L90-Data=45.0;L95-Data=43.0;Leq-Data=50.0;LMx-Data=54.0;LMn-Data=42.0&&",
    ),
    ("C.30", "QN=20160801085857223;ST=32;CN=3011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&"),
    ("C.31", "QN=20160801085857223;ST=32;CN=3012;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&"),
    ("C.32", "QN=20160801085857223;ST=32;CN=3013;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&"),
    ("C.33", "QN=20160801085857223;ST=32;CN=3014;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&"),
    ("C.34", "QN=20160801085857223;ST=32;CN=3015;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&&&"),
    (
        "C.35",
        "QN=20160801085857223;ST=32;CN=3016;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018;CstartTime=000000;CTime=2&&",
    ),
    ("C.36", "QN=20160801085857223;ST=32;CN=3017;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&"),
    (
        "C.36",
        "QN=20160801085857223;ST=32;CN=3017;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&PolId=w01018;CstartTime=000000;CTime=2&&",
    ),
    ("C.37", "QN=20160801085857223;ST=32;CN=3018;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&"),
    (
        "C.37",
        "QN=20160801085857223;ST=32;CN=3018;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&PolId=w01018;Stime=40&&",
    ),
    ("C.38", "QN=20160801085857223;ST=32;CN=3019;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&"),
    (
        "C.38",
        "QN=20160801085857223;ST=32;CN=3019;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&PolId=w01018;w01018-SN=010000A8900016F000169DC1&&",
    ),
    (
        "C.39",
        "QN=20160801085857223;ST=32;CN=3019;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;PolId=w01018;w01018-SN=010000A8900016F000169DC1&&",
    ),
    (
        "C.40",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20100301145000;PolId=w01018;i11001-Info=//清洗管路//&&",
    ),
    (
        "C.41",
        "QN=20160801085857334;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801062035;PolId=w01018;i11001-Info=//清洗管路//&&",
    ),
    (
        "C.41",
        "QN=20160801085857335;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801082857;PolId=w01018;i11001-Info=//时间校准//&&",
    ),
    ("C.43", "QN=20101110010101001;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&"),
    (
        "C.43",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20100301145000;PolId=w01018;i12001-Info=1&&",
    ),
    (
        "C.45",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018;InfoId=i13004&&",
    ),
    (
        "C.46",
        "QN=20160801085857223;ST=32;CN=3021;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018;InfoId=i13004;i13004-Info=168.0&&",
    ),
    (
        "C.47",
        "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
    ),
    ("C.48", "QN=20160801085857534;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
    (
        "C.49",
        "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=6;PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N&&",
    ),
    (
        "C.49",
        "QN=20160801085857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=6;PNUM=2;PNO=2;CP=&&DataTime=20160801080000;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
    ),
    (
        "C.50",
        "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N&&",
    ),
    (
        "C.50",
        "QN=20160801085857535;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=2;PNO=2;CP=&&DataTime=20160801080000;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
    ),
    ("C.50", "QN=20160801085857535;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"),
]

REPAIRED = [
    (
        "C.2",
        "QN=20160801085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&& PolId=w01018;SystemTime=20160801085857&&",
        "QN=20160801085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&PolId=w01018;SystemTime=20160801085857&&",
        ["space in CP removed"],
    ),
    (
        "C.3",
        "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&& ExeRtn=1&&",
        "QN=20160801085857223;ST=91;CN=9012;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&ExeRtn=1&&",
        ["space in CP removed"],
    ),
    (
        "C.4",
        "QN=20160801085857223;ST=32;CN=1013;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&& PolId=w01018&&",
        "QN=20160801085857223;ST=32;CN=1013;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018&&",
        ["space in CP removed"],
    ),
    (
        "C.4",
        "QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&& &&",
        "QN=20160801085857223;ST=91;CN=9013;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&",
        ["space in CP removed"],
    ),
    (
        "C.14",
        "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;w01001-Rtd=7.1,w01001-Flag=N;w01018-SampleTime=20160801070000,01018-Rtd=2.2,w01018-Flag=N,w01018-EFlag=A01&&",
        "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;w01001-Rtd=7.1,w01001-Flag=N;w01018-SampleTime=20160801070000,w01018-Rtd=2.2,w01018-Flag=N,w01018-EFlag=A01&&",
        ["01018-Rtd → w01018-Rtd"],
    ),
    (
        "C.19",
        "QN=20160802000000001;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;Flag=5CP=&&DataTime=20160801000000;SB1-RT=1.1;SB2-RT=2.1&&",
        "QN=20160802000000001;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801000000;SB1-RT=1.1;SB2-RT=2.1&&",
        ["missing ';' before CP"],
    ),
    (
        "C.22",
        "QN=20160801085857534,ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801000000;w00000-Cou=1512.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=2142.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
        "QN=20160801085857534;ST=32;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801000000;w00000-Cou=1512.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=2142.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
        ["',' instead of ';' after QN"],
    ),
    (
        "C.23",
        "QN=20160801085857223;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&BeginTime=20160801000000,EndTime=20160801000000&&",
        "QN=20160801085857223;ST=32;CN=2041;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&BeginTime=20160801000000;EndTime=20160801000000&&",
        ["',' instead of ';' before EndTime"],
    ),
    (
        "C.25",
        "QN=20160801085857223;ST=23;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857; LA-Rtd=50.1&&",
        "QN=20160801085857223;ST=23;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;LA-Rtd=50.1&&",
        ["space around 'LA-Rtd' removed"],
    ),
    (
        "C.28",
        "QN=20160802000000001;ST=23;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801000000;L5-Data=53.0;L10-Data=53.0;L50-Data=49.0;L90-Data=45.0;L95-Data=43.0;Ldn-Data=50.0;LMx-Data=54.0;LMn-Data=42.0;L5-DayData=53.0;L10-DayData=53.0;L50-DayData=52.0;L90-DayData=51.0;L95-DayData=50.0;Ld-DayData=52.5;LMx-DayData=54.0;LMn-DayData=45.0;L5-NightData=53.0;L10-NightData=53.0;L50-NightData=52.0;L90-NightData=51.0;L95-NightData=49.0;Ln-NightData=52.5;LMx-NightData=54.0; LMn-NightData=42.0&&",
        "QN=20160802000000001;ST=23;CN=2031;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801000000;L5-Data=53.0,L5-DayData=53.0,L5-NightData=53.0;L10-Data=53.0,L10-DayData=53.0,L10-NightData=53.0;L50-Data=49.0,L50-DayData=52.0,L50-NightData=52.0;L90-Data=45.0,L90-DayData=51.0,L90-NightData=51.0;L95-Data=43.0,L95-DayData=50.0,L95-NightData=49.0;Ldn-Data=50.0;LMx-Data=54.0,LMx-DayData=54.0,LMx-NightData=54.0;LMn-Data=42.0,LMn-DayData=45.0,LMn-NightData=42.0;Ld-DayData=52.5;Ln-NightData=52.5&&",
        ["space around 'LMn-NightData' removed"],
    ),
    (
        "C.29",
        "QN=20160801085857223;ST=52;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;e01001-Rtd=1.1;e01001-Rtd=2.2&&",
        "QN=20160801085857223;ST=52;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;e01001-Rtd=2.2&&",
        ["duplicate e01001-Rtd: last value kept"],
    ),
    (
        "C.34",
        "QN=20160801085857223;ST=32;CN=3015;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&& DataTime=20160801085857;VaseNo=1 &&",
        "QN=20160801085857223;ST=32;CN=3015;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;VaseNo=1&&",
        ["space in CP removed"],
    ),
    (
        "C.41",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018;InfoId=i11001;BeginTime=20160801010522,EndTime=20160801085857&&",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018;InfoId=i11001;BeginTime=20160801010522;EndTime=20160801085857&&",
        ["',' instead of ';' before EndTime"],
    ),
    (
        "C.42",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20100301145000;PolId=w01018;i12001-Info=1;i12003-Info =0&&",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20100301145000;PolId=w01018;i12001-Info=1;i12003-Info=0&&",
        ["space around 'i12003-Info' removed"],
    ),
    (
        "C.43",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0; Flag=5;CP=&&PolId=w01018;InfoId=i12001&&",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&PolId=w01018;InfoId=i12001&&",
        ["space around 'Flag=5' removed"],
    ),
    (
        "C.44",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;PolId=w01018;i13004-Info=168.0; i13005-Info =40&&",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801085857;PolId=w01018;i13004-Info=168.0;i13005-Info=40&&",
        ["space around 'i13005-Info' removed"],
    ),
    (
        "C.45",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801085857;PolId=w01018;i13004-Info=168.0 &&",
        "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&DataTime=20160801085857;PolId=w01018;i13004-Info=168.0&&",
        ["space in CP removed"],
    ),
    (
        "C.48",
        "QN=20160801085857534,ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
        "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;w01001-Min=7.1,w01001-Avg=7.5,w01001-Max=7.8,w01001-Flag=N;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&",
        ["',' instead of ';' after QN"],
    ),
]

# C.28 (noise, daily) interleaves the codes (L5-Data;...;L5-DayData;...) with ';' only. The decoded JSON
# groups fields by code, so its re-encoding lists them code by code: same content, different byte order.
C28 = REPAIRED.pop(next(i for i, r in enumerate(REPAIRED) if r[0] == "C.28"))


def test_it_verifies_the_crc_of_the_facts_packet_and_appendix_a_listing() -> None:
    data = FACTS_PACKET[6:-6]
    assert crc.hj212_crc(data) == 0x1C80 == crc.hj212_crc_reference(data)
    assert crc.identify(data, "1C80") == crc.identify(data, "1c80") == "hj212"
    assert crc.identify(data, "1C08") == "invalid"  # the standard's prose misprint
    assert crc.modbus_crc(b"123456789") == 0x4B37  # CRC-16/MODBUS check value
    assert crc.hj212_crc(data) != crc.modbus_crc(data)
    frame = decode_one(FACTS_PACKET)
    assert frame.ok and frame.crc == "hj212" and frame.extra == {"RtdInterval": "30"}
    assert encode(frame.to_json()) == FACTS_PACKET


@pytest.mark.parametrize(("table", "segment"), EXACT, ids=[f"{t}-{i}" for i, (t, _) in enumerate(EXACT)])
def test_it_decodes_and_reencodes_appendix_c_byte_for_byte(table: str, segment: str) -> None:
    packet = frame_packet(segment)
    frame = decode_one(packet)
    assert frame.ok, frame.error
    assert frame.repairs == []
    assert frame.version == "2017" and frame.mn == "010000A8900016F000169DC0"
    assert encode(frame.to_json()) == packet


@pytest.mark.parametrize(
    ("table", "segment", "repaired", "repairs"), REPAIRED, ids=[f"{r[0]}-{i}" for i, r in enumerate(REPAIRED)]
)
def test_it_repairs_appendix_c_typos_and_records_each(table: str, segment: str, repaired: str, repairs) -> None:
    frame = decode_one(frame_packet(segment))
    assert frame.ok, frame.error
    assert frame.repairs == repairs
    assert encode(frame.to_json()) == frame_packet(repaired)
    again = decode_one(frame_packet(repaired))
    assert again.ok and again.repairs == [] and again.to_json()["values"] == frame.to_json()["values"]


def test_it_decodes_the_interleaved_noise_day_example_to_the_same_content() -> None:
    _, segment, _, _ = C28
    frame = decode_one(frame_packet(segment))
    assert frame.ok and frame.values["L5"] == {"data": 53.0, "day_data": 53.0, "night_data": 53.0}
    assert frame.values["Ld"] == {"day_data": 52.5}
    again = decode_one(encode(frame.to_json()))
    assert again.to_json() | {"repairs": []} == frame.to_json() | {"repairs": []}


def test_it_reads_factor_fields_numbers_flags_and_times() -> None:
    segment = next(s for t, s in EXACT if t == "C.16")
    frame = decode_one(frame_packet(segment))
    assert frame.data_time == datetime(2016, 8, 1, 8, 40, tzinfo=BEIJING)
    assert frame.to_json()["data_time"] == "2016-08-01T08:40:00+08:00"
    assert frame.values["w00000"] == {"cou": 10.5, "min": 16.4, "avg": 17.5, "max": 20.1, "flag": "N"}
    assert frame.need_ack and not frame.subpacket and frame.flag == 5 and frame.cn == "2051"
    c14 = decode_one(frame_packet(REPAIRED[[r[0] for r in REPAIRED].index("C.14")][1]))
    assert c14.values["w01018"] == {"sample_time": "20160801070000", "rtd": 2.2, "flag": "N", "eflag": "A01"}
    c15 = decode_one(frame_packet(next(s for t, s in EXACT if t == "C.15")))
    assert c15.extra == {"SB1-RS": "1", "SB2-RS": "0"}
    c40 = decode_one(frame_packet(next(s for t, s in EXACT if t == "C.40")))
    assert c40.values["i11001"] == {"info": "//清洗管路//"} and c40.extra == {"PolId": "w01018"}


def test_it_keeps_a_log_text_with_separators_whole() -> None:
    seg = "QN=1;ST=32;CN=3020;PW=1;MN=AB;Flag=4;CP=&&PolId=w01018;i11001-Info=//a=b;c,d//;i12001-Info=1&&"
    frame = decode_one(frame_packet(seg))
    assert frame.ok and frame.values["i11001"] == {"info": "//a=b;c,d//"} and frame.values["i12001"] == {"info": "1"}
    assert encode_segment(frame.to_json()) == seg


# ------------------------------------------------------------------------------------------- CRC variants


@pytest.mark.parametrize("variant", ["hj212", "modbus", "modbus-swapped"])
def test_it_identifies_the_crc_variant_and_still_decodes(variant: str) -> None:
    frame = decode_one(FACTS_PACKET)
    packet = encode(frame.to_json(), crc=variant)
    got = decode_one(packet)
    assert got.ok and got.crc == variant and got.extra == {"RtdInterval": "30"}
    lower = packet[:-6] + packet[-6:-2].lower() + b"\r\n"
    assert decode_one(lower).crc == variant


def test_it_rejects_a_crc_matching_no_variant_with_a_reason() -> None:
    bad = FACTS_PACKET.replace(b"1C80", b"1C08")
    frame = decode_one(bad)
    assert not frame.ok and frame.crc == "invalid" and "1C08" in frame.error and "1C80" in frame.error
    assert frame.mn == "010000A8900016F000169DC0"  # still parsed, for the quarantine
    data = FACTS_PACKET[6:-6]
    assert crc.identify(data, f"{crc.modbus_crc(data):04x}") == "modbus"
    assert crc.identify(data, f"{crc.swap16(crc.modbus_crc(data)):04X}") == "modbus-swapped"
    assert crc.identify(data, "zzzz") == crc.identify(data, "1C8") == "invalid"


# --------------------------------------------------------------------------------------------- dialects

P2005 = (
    "ST=32;CN=2011;PW=123456;MN=88888880000001;CP=&&DataTime=20040516020111123;"
    "B01-Rtd=12.5,B01-Flag=N;011-Rtd=40.1,011-Flag=N;060-Rtd=1.25;001-Rtd=7.1&&"
)


def test_it_decodes_a_2005_packet_and_maps_the_codes_keeping_the_originals() -> None:
    packet = frame_packet(P2005)
    frame = decode_one(packet)
    assert frame.ok and frame.version == "2005" and frame.qn is None and frame.flag is None
    assert frame.mn == "88888880000001" and not frame.need_ack
    assert frame.data_time == datetime(2004, 5, 16, 2, 1, 11, 123000, tzinfo=BEIJING)
    assert frame.to_json()["data_time"] == "2004-05-16T02:01:11.123+08:00"
    assert set(frame.values) == {"w00000", "w01018", "w21003", "w01001"}
    assert frame.values["w01018"] == {"rtd": 40.1, "flag": "N"}
    assert frame.legacy_codes == {"w00000": "B01", "w01018": "011", "w21003": "060", "w01001": "001"}
    assert encode(frame.to_json()) == packet


def test_it_decodes_2005_gas_codes_and_heartbeats() -> None:
    gas = "ST=31;CN=2051;PW=123456;MN=88888880000002;CP=&&DataTime=20040516020000;02-Avg=35.2,02-ZsAvg=40.1;03-Avg=80;01-Avg=9.5;B02-Cou=12000;S01-Avg=8.1&&"
    frame = decode_one(frame_packet(gas))
    assert frame.ok and frame.values["a21026"] == {"avg": 35.2, "zs_avg": 40.1}
    assert frame.values["a21002"] == {"avg": 80} and frame.values["a34013"] == {"avg": 9.5}
    assert frame.legacy_codes["a00000"] == "B02" and frame.legacy_codes["a19001"] == "S01"
    beat = decode_one(frame_packet("ST=91;CN=8013;PW=123456;MN=88888880000002;CP=&&&&"))
    assert beat.ok and beat.cn == "8013" and beat.version == "2005" and beat.values == {}


def test_it_reads_version_bits_of_2017_and_2025() -> None:
    for flag, version, ack, sub in [
        (4, "2017", False, False),
        (5, "2017", True, False),
        (7, "2017", True, True),
        (8, "2025", False, False),
        (9, "2025", True, False),
        (1, "2005", True, False),
    ]:
        seg = f"QN=20260101000000000;ST=31;CN=9015;PW=1;MN=A1;Flag={flag};CP=&&&&"
        frame = decode_one(frame_packet(seg))
        assert (frame.version, frame.need_ack, frame.subpacket) == (version, ack, sub), flag


def test_it_replies_9014_and_9013_as_the_standard_says() -> None:
    upload = decode_one(frame_packet(next(s for t, s in EXACT if t == "C.16")))
    reply = decode_one(reply_9014(upload))
    expected = "QN=20160801085000001;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"
    assert reply_9014(upload) == frame_packet(expected) and reply.ok
    # 表 C.11: notification 2012 answered with 9013, same QN, Flag=4, CP=&&&&.
    note = decode_one(frame_packet(next(s for t, s in EXACT if t == "C.11")))
    assert reply_9013(note) == frame_packet(next(s for t, s in EXACT if "CN=9013" in s))
    v2025 = decode_one(frame_packet("QN=20260101000000000;ST=31;CN=2011;PW=9;MN=M;Flag=9;CP=&&&&"))
    assert b";Flag=8;" in reply_9014(v2025)


# ------------------------------------------------------------------------------------------------ typos


def test_it_repairs_field_typos_of_real_devices() -> None:
    seg = "QN=1,ST=31;CN=2011;PW=1;MN=M;Flag=5CP=&& DataTime=20240101000000;21026-Rtd=1.5,a21026-flag=N,a21002-Rtd=3 &&"
    frame = decode_one(frame_packet(seg))
    assert frame.ok
    assert frame.values == {"a21026": {"rtd": 1.5, "flag": "N"}, "a21002": {"rtd": 3}}
    assert set(frame.repairs) == {
        "missing ';' before CP",
        "',' instead of ';' after QN",
        "space in CP removed",
        "21026-Rtd → a21026-Rtd",
        "a21026-flag → a21026-Flag",
        "',' instead of ';' before a21002-Rtd",
    }


# -------------------------------------------------------------------------------------------- framing


def _good_packets() -> list[bytes]:
    return [frame_packet(s) for _, s in EXACT]


def test_it_frames_sticky_split_garbage_and_truncated_packets() -> None:
    a, b, c = FACTS_PACKET, _good_packets()[20], _good_packets()[30]
    stream = b"\x00garbage" + a + a[:40] + b + b"noise\r\n" + c[:10] + b"##9x" + c
    dec = FrameDecoder()
    frames = []
    for i in range(0, len(stream), 7):
        frames += dec.feed(stream[i : i + 7])
    good = [f.raw for f in frames if f.ok]
    assert good == [a, b, c]
    bad = [f for f in frames if not f.ok]
    assert len(bad) == 3 and all(f.error for f in bad)
    assert "truncated" in bad[0].error and bad[0].raw == a[:40]
    assert dec.pending() == 0 and dec.garbage == len(b"\x00garbage") + len(b"noise\r\n")


def test_it_accepts_a_wrong_length_field_when_the_crc_holds_and_says_so() -> None:
    data = FACTS_PACKET[6:-6]
    packet = b"##0100" + data + FACTS_PACKET[-6:]
    frame = decode_one(packet)
    assert frame.ok and frame.repairs == ["length field 0100 but data segment is 101 bytes"]


def test_it_enforces_the_maximum_frame_and_keeps_what_follows() -> None:
    big = frame_packet("QN=1;ST=31;CN=2011;PW=1;MN=M;Flag=4;CP=&&" + ";".join(f"x{i}=1" for i in range(400)) + "&&")
    assert len(big) > 2000
    dec = FrameDecoder(max_frame=1024)
    frames = dec.feed(big + FACTS_PACKET)
    assert [f.ok for f in frames] == [False, True] and "1024" in frames[0].error
    assert frames[1].raw == FACTS_PACKET
    assert [f.ok for f in FrameDecoder().feed(big)] == [True]  # real 2051 packets exceed the 1024 of the text
    endless = FrameDecoder(max_frame=200)
    out = endless.feed(b"##0050" + b"x" * 500 + FACTS_PACKET)
    assert [f.ok for f in out] == [False, True] and endless.pending() == 0


def test_it_reports_a_packet_cut_at_end_of_input_on_close() -> None:
    dec = FrameDecoder()
    assert dec.feed(FACTS_PACKET[:50]) == [] and dec.pending() == 50
    (frame,) = dec.close()
    assert not frame.ok and "end of input" in frame.error and dec.pending() == 0


GARBAGE = st.binary(max_size=12).map(lambda b: b.replace(b"#", b"."))


@settings(max_examples=150, deadline=None)
@given(
    picks=st.lists(st.integers(min_value=0, max_value=len(EXACT) - 1), min_size=1, max_size=8),
    garbage=st.lists(GARBAGE, min_size=9, max_size=9),
    cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=25),
)
def test_it_decodes_any_split_of_a_stream_to_the_same_frames(picks, garbage, cuts) -> None:
    packets = [frame_packet(EXACT[i][1]) for i in picks]
    stream = b"".join(g + p for g, p in zip(garbage, packets, strict=False)) + garbage[-1]
    whole = FrameDecoder().feed(stream)
    assert [f.raw for f in whole] == packets and all(f.ok for f in whole)
    dec = FrameDecoder()
    pieces, prev = [], 0
    for cut in sorted({c % (len(stream) + 1) for c in cuts}) + [len(stream)]:
        pieces.append(stream[prev:cut])
        prev = cut
    split = [f for piece in pieces for f in dec.feed(piece)]
    assert [f.to_json() for f in split] == [f.to_json() for f in whole]
    assert dec.pending() <= len(garbage[-1])


FIELD_VALUE = st.one_of(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3)),
)
CODES = sorted(FACTORS)


@settings(max_examples=150, deadline=None)
@given(
    flag=st.integers(min_value=0, max_value=11).filter(lambda f: not f & 2),
    cn=st.sampled_from(["2011", "2051", "2061", "2031"]),
    mn=st.text(alphabet="0123456789ABCDEF", min_size=14, max_size=24),
    values=st.dictionaries(
        st.sampled_from(CODES),
        st.dictionaries(st.sampled_from(["rtd", "avg", "min", "max", "cou", "zs_avg"]), FIELD_VALUE, min_size=1).map(
            lambda d: d | {"flag": "N"}
        ),
        max_size=6,
    ),
    extra=st.dictionaries(
        st.sampled_from(["RtdInterval", "SB1-RS", "PolId"]), st.text("0123456789", min_size=1, max_size=4)
    ),
    variant=st.sampled_from(["hj212", "modbus", "modbus-swapped"]),
    seconds=st.integers(min_value=0, max_value=10**9),
)
def test_it_round_trips_encode_and_decode(flag, cn, mn, values, extra, variant, seconds) -> None:
    dt = datetime.fromtimestamp(1_500_000_000 + seconds, BEIJING).replace(microsecond=0)
    fields = {
        "qn": "20240101000000000",
        "st": "31",
        "cn": cn,
        "pw": "123456",
        "mn": mn,
        "flag": flag,
        "data_time": dt.isoformat(),
        "values": values,
        "extra": extra,
    }
    packet = encode(fields, crc=variant)
    frame = decode_one(packet)
    assert frame.ok, frame.error
    # A CRC value can fit more than one variant (a MODBUS CRC whose two bytes are equal reads the same
    # swapped; 1 in 65,536 packets has equal HJ 212 and MODBUS CRCs): the codec names the first by precedence.
    from youse.monitoring.hj212.crc import hj212_crc, modbus_crc, swap16

    data, value = packet[6:-6], int(packet[-6:-2], 16)
    candidates = {"hj212": hj212_crc(data), "modbus": modbus_crc(data), "modbus-swapped": swap16(modbus_crc(data))}
    matching = [name for name, crc in candidates.items() if crc == value]
    assert variant in matching and frame.crc == matching[0] and frame.repairs == []
    out = frame.to_json()
    assert {k: out.get(k) for k in fields} == fields
    assert frame.data_time == dt


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_it_never_lets_a_mutated_packet_escape_as_an_exception(data) -> None:
    packet = bytearray(data.draw(st.sampled_from(_good_packets() + [FACTS_PACKET, frame_packet(P2005)])))
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        kind = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate", "dup"]))
        pos = data.draw(st.integers(min_value=0, max_value=max(0, len(packet) - 1)))
        if kind == "flip" and packet:
            packet[pos] = data.draw(st.integers(min_value=0, max_value=255))
        elif kind == "insert":
            packet[pos:pos] = data.draw(st.sampled_from([b"#", b"##", b"\r\n", b";", b",", b"=", b"&&", b"\xff", b"-"]))
        elif kind == "delete" and packet:
            del packet[pos]
        elif kind == "truncate":
            del packet[pos:]
        elif kind == "dup":
            packet += packet[pos:]
    dec = FrameDecoder()
    frames = dec.feed(bytes(packet) + FACTS_PACKET) + dec.close()
    for frame in frames:
        assert frame.ok or frame.error, frame
        frame.to_json()
    assert frames and frames[-1].ok and frames[-1].raw.endswith(FACTS_PACKET)
    decode_one(bytes(packet))


# ------------------------------------------------------------------------------------------ sub-packets


def test_it_reassembles_sub_packets_by_mn_cn_and_data_time_not_qn() -> None:
    parts = [
        next(s for t, s in EXACT if t == "C.49" and "PNO=1" in s),
        next(s for t, s in EXACT if t == "C.49" and "PNO=2" in s),
    ]
    f1, f2 = (decode_one(frame_packet(p)) for p in parts)
    assert f1.subpacket and (f1.pnum, f1.pno) == (2, 1) and f1.qn != f2.qn
    other = decode_one(frame_packet(parts[0].replace("MN=010000A8900016F000169DC0", "MN=010000A8900016F000169DC9")))
    r = Reassembler()
    assert r.add(f2) is None and r.add(other) is None and len(r) == 2
    merged = r.add(f1)
    assert merged is not None and len(r) == 1
    assert list(merged.values) == ["w00000", "w01001", "w01018"]
    assert merged.values["w01018"]["avg"] == 40.1 and merged.qn == f1.qn
    assert not merged.subpacket and merged.pnum is None and merged.flag == 4
    plain = decode_one(FACTS_PACKET)
    assert r.add(plain) is plain


def test_it_expires_incomplete_sub_packets_without_losing_them() -> None:
    now = [0.0]
    r = Reassembler(max_age=60, clock=lambda: now[0])
    part = decode_one(frame_packet(next(s for t, s in EXACT if t == "C.50" and "PNO=1" in s)))
    assert part.need_ack and r.add(part) is None
    now[0] = 30
    assert r.expire() == []
    now[0] = 61
    (late,) = r.expire()
    assert "w00000" in late.values and "[2]" in late.repairs[-1] and len(r) == 0


def test_it_maps_every_2005_code_both_ways() -> None:
    assert LEGACY_TO_2017["02"] == "a21026" and LEGACY_TO_2017["011"] == "w01018"
    assert FACTORS["w20120"].unit == "µg/L" and FACTORS["a21026"].unit == "mg/m³" and FACTORS["a21026"].cou_unit == "kg"
    for legacy, code in LEGACY_TO_2017.items():
        assert FACTORS[code].legacy == legacy
    rng = random.Random(4)
    for legacy in rng.sample(sorted(LEGACY_TO_2017), 10):
        seg = f"ST=32;CN=2011;PW=1;MN=88888880000001;CP=&&DataTime=20040516020111;{legacy}-Rtd=1.5&&"
        frame = decode_one(frame_packet(seg))
        assert frame.legacy_codes == {LEGACY_TO_2017[legacy]: legacy}
        assert encode_segment(frame.to_json()) == seg
