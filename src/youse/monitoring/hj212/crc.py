"""CRC of HJ 212 (Appendix A) and the CRC-16/MODBUS variants real data loggers send.

Appendix A: register 0xFFFF; for each byte ``crc = (crc >> 8) ^ b`` then eight right shifts, XOR 0xA001
when the bit shifted out is 1. It is NOT CRC-16/MODBUS, which XORs the byte into the low half
(``crc ^= b``). Both are computed over the data segment only and printed as four hex digits.

Variant names used everywhere (`identify`, `Frame.crc`, the per-device policy):
- ``"hj212"``: the Appendix A value, printed high byte first (``%04X``);
- ``"modbus"``: the CRC-16/MODBUS value, printed high byte first;
- ``"modbus-swapped"``: the CRC-16/MODBUS value printed low byte first (the order MODBUS puts on the wire);
- ``"invalid"``: none of these.
"""

from __future__ import annotations


def _table() -> list[int]:
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_T = _table()


def hj212_crc(data: bytes) -> int:
    """Appendix A CRC16 of `data` (the data segment)."""
    crc = 0xFFFF
    t = _T
    for b in data:
        crc = t[(crc >> 8) ^ b]
    return crc


def hj212_crc_reference(data: bytes) -> int:
    """Appendix A, bit by bit, exactly as the standard's C listing (kept to check the table form)."""
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ b
        for _ in range(8):
            check = crc & 1
            crc >>= 1
            if check:
                crc ^= 0xA001
    return crc


def modbus_crc(data: bytes) -> int:
    """CRC-16/MODBUS of `data` (register 0xFFFF, reflected 0xA001, byte XORed into the low half)."""
    crc = 0xFFFF
    t = _T
    for b in data:
        crc = (crc >> 8) ^ t[(crc ^ b) & 0xFF]
    return crc


def swap16(value: int) -> int:
    return ((value & 0xFF) << 8) | (value >> 8)


def crc_text(data: bytes, variant: str = "hj212") -> str:
    """The four upper-case hex digits a packet of `variant` carries for `data`."""
    if variant == "hj212":
        value = hj212_crc(data)
    elif variant == "modbus":
        value = modbus_crc(data)
    elif variant == "modbus-swapped":
        value = swap16(modbus_crc(data))
    else:
        raise ValueError(f"unknown CRC variant {variant!r}")
    return f"{value:04X}"


def identify(data: bytes, crc_text: str) -> str:
    """Which variant `crc_text` (four hex digits, any case) is for `data`: hj212, modbus, modbus-swapped or
    invalid. The standard's CRC wins when a value happens to match more than one."""
    text = crc_text.strip() if isinstance(crc_text, str) else crc_text
    if len(text) != 4:
        return "invalid"
    try:
        value = int(text, 16)
    except ValueError:
        return "invalid"
    if hj212_crc(data) == value:
        return "hj212"
    modbus = modbus_crc(data)
    if modbus == value:
        return "modbus"
    if swap16(modbus) == value:
        return "modbus-swapped"
    return "invalid"
