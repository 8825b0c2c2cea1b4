"""Load the reference data files under ``data/`` into the regions tables (idempotent)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

CITY_NAMES_EN = {
    "310000": "Shanghai", "320100": "Nanjing", "320200": "Wuxi", "320300": "Xuzhou", "320400": "Changzhou",
    "320500": "Suzhou", "320600": "Nantong", "320700": "Lianyungang", "320800": "Huai'an", "320900": "Yancheng",
    "321000": "Yangzhou", "321100": "Zhenjiang", "321200": "Taizhou (Jiangsu)", "321300": "Suqian",
    "330100": "Hangzhou", "330200": "Ningbo", "330300": "Wenzhou", "330400": "Jiaxing", "330500": "Huzhou",
    "330600": "Shaoxing", "330700": "Jinhua", "330800": "Quzhou", "330900": "Zhoushan", "331000": "Taizhou (Zhejiang)",
    "331100": "Lishui", "340100": "Hefei", "340200": "Wuhu", "340300": "Bengbu", "340400": "Huainan",
    "340500": "Ma'anshan", "340600": "Huaibei", "340700": "Tongling", "340800": "Anqing", "341000": "Huangshan",
    "341100": "Chuzhou", "341200": "Fuyang", "341300": "Suzhou (Anhui)", "341500": "Lu'an", "341600": "Bozhou",
    "341700": "Chizhou", "341800": "Xuancheng",
}

SEI_L1_EN = {
    "1": "New-generation information technology",
    "2": "High-end equipment manufacturing",
    "3": "New materials",
    "4": "Biotechnology",
    "5": "New-energy vehicles",
    "6": "New energy",
    "7": "Energy saving and environmental protection",
    "8": "Digital creative industries",
    "9": "Related services",
}


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def short_city_name(name: str) -> str:
    return name[:-1] if name.endswith("市") and len(name) > 2 else name


def load_cities(City: Any) -> int:
    count = 0
    for row in _rows("yrd_41_cities.csv"):
        City.objects.update_or_create(
            code=row["adcode"],
            defaults={
                "name": row["name"],
                "short_name": short_city_name(row["name"]),
                "name_en": CITY_NAMES_EN.get(row["adcode"], ""),
                "province": row["province"],
                "province_code": row["province_code"],
                "area_code": row["area_code"],
                "lon": float(row["lon_wgs84"]),
                "lat": float(row["lat_wgs84"]),
                "corridor": row["ning_hu_corridor"] or "",
            },
        )
        count += 1
    return count


def load_industries(Industry: Any) -> int:
    """GB/T 4754-2017 (four levels) and SEI 2018 (two levels), parents before children."""
    count = 0
    for scheme, filename in (("gbt4754", "gbt4754_2017_industry.csv"), ("sei2018", "sei2018_strategic_emerging_industries_l1l2.csv")):
        rows = sorted(_rows(filename), key=lambda r: int(r["level"]))
        by_code: dict[str, Any] = {i.code: i for i in Industry.objects.filter(scheme=scheme)}
        for row in rows:
            parent = by_code.get(row["parent"]) if row.get("parent") else None
            description = (row.get("remark") or "").strip()
            obj = by_code.get(row["code"])
            values = {
                "name": row["name"].strip(),
                "level": int(row["level"]),
                "parent": parent,
                "description": description,
                "name_en": SEI_L1_EN.get(row["code"], "") if scheme == "sei2018" else "",
            }
            if obj is None:
                obj = Industry.objects.create(scheme=scheme, code=row["code"], **values)
                by_code[obj.code] = obj
            else:
                for k, v in values.items():
                    setattr(obj, k, v)
                obj.save()
            count += 1
    return count
