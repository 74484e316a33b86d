"""Where the synthetic plants stand: approximate centres of the cities and counties of FACTS.md.

A place is keyed by its GB/T 2260 code, or by `zone:<slug>` for the zones that have none (杨凌, 西咸).
Plants are put at the centre plus a small jitter, kept inside the division: 府谷 and 韩城 lie on the Yellow
River, the provincial border, so their jitter only goes west."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    lon: float
    lat: float
    # Jitter in degrees: longitude west/east of the centre, latitude either side.
    west: float
    east: float
    dlat: float
    # Characters 3-8 of the credit codes registered here, and the short form used in document numbers.
    code_area: str
    abbr: str

    @property
    def is_zone(self) -> bool:
        return self.key.startswith("zone:")


def _p(key: str, name: str, lon: float, lat: float, jitter: float, abbr: str, **kw: object) -> Place:
    west = float(kw.get("west", jitter))
    east = float(kw.get("east", jitter))
    area = str(kw.get("code_area", key))
    return Place(key, name, lon, lat, west, east, jitter * 0.75, area, abbr)


PLACES: dict[str, Place] = {
    p.key: p
    for p in (
        _p("610100", "西安市", 108.94, 34.26, 0.10, "市"),
        _p("610200", "铜川市", 108.98, 34.92, 0.06, "铜"),
        _p("610300", "宝鸡市", 107.14, 34.37, 0.08, "宝"),
        _p("610400", "咸阳市", 108.71, 34.33, 0.06, "咸"),
        _p("610500", "渭南市", 109.50, 34.50, 0.08, "渭"),
        _p("610600", "延安市", 109.49, 36.60, 0.08, "延"),
        _p("610700", "汉中市", 107.03, 33.08, 0.08, "汉"),
        _p("610800", "榆林市", 109.74, 38.29, 0.10, "榆"),
        _p("610900", "安康市", 109.03, 32.69, 0.08, "安"),
        _p("611000", "商洛市", 109.94, 33.87, 0.08, "商"),
        _p("610822", "府谷县", 111.07, 39.03, 0.06, "府", west=0.30, east=0.02),
        _p("610881", "神木市", 110.50, 38.84, 0.12, "神"),
        _p("610503", "华州区", 109.77, 34.51, 0.05, "华"),
        _p("610581", "韩城市", 110.44, 35.48, 0.05, "韩", west=0.08, east=0.04),
        _p("610330", "凤县", 106.52, 33.91, 0.05, "凤"),
        _p("610725", "勉县", 106.67, 33.15, 0.05, "勉"),
        _p("611024", "山阳县", 109.88, 33.53, 0.05, "山"),
        _p("611021", "洛南县", 110.15, 34.09, 0.05, "洛"),
        # Zones: 杨凌 lies in 610403 杨陵区; 西咸新区 has no code and is administered with 西安.
        _p("zone:yangling", "杨凌示范区", 108.08, 34.27, 0.02, "杨", code_area="610403"),
        _p("zone:xixian", "西咸新区", 108.78, 34.33, 0.03, "西咸", code_area="610100"),
    )
}
# Zone rows carry no code; the generator finds them by their Chinese name.
ZONE_NAMES = {"zone:yangling": "杨凌示范区", "zone:xixian": "西咸新区"}
