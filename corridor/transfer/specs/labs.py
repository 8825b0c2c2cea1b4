"""Import/export type of the shared laboratories' instruments and platforms (each is also a resource)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext_lazy, pgettext_lazy

from corridor.labs import services
from corridor.labs.choices import InstrumentCategory, InstrumentKind, InstrumentStatus
from corridor.labs.filtersets import InstrumentFilterSet
from corridor.labs.models import Instrument
from corridor.transfer.parsers import Amount, Boolean, Choice, Integer, Text
from corridor.transfer.specs.base import Column, Row, RunContext, register
from corridor.transfer.specs.lists import OwnedSpec, city_column, owner_column

MAX_MINUTES = 14 * 24 * 60


@register
class InstrumentSpec(OwnedSpec):
    """Owned by an organisation (column key ``owner``, model field ``organization``); matched by owner + name."""

    key = "instruments"
    model = Instrument
    label = gettext_lazy("Shared instruments")
    filterset_class = InstrumentFilterSet
    list_url_name = "labs:instrument_list"
    title_field = "name"
    columns = [
        Column("name", pgettext_lazy("column", "Instrument name"), Text(200), field="name", required=True,
               aliases=("仪器名称", "设备名称", "平台名称", "名称", "name"), examples=("场发射透射电子显微镜", "聚烯烃中试线")),
        Column("kind", pgettext_lazy("column", "Instrument kind"), Choice(InstrumentKind), field="kind", empty=InstrumentKind.INSTRUMENT,
               aliases=("仪器类型", "kind"), examples=("大型仪器", "中试平台")),
        replace(owner_column(pgettext_lazy("column", "Owner organisation"), ("所属单位", "依托单位", "管理单位", "owner")),
                field="organization"),
        city_column(gettext_lazy("Empty: the owner organisation's city.")),
        Column("category", pgettext_lazy("column", "Instrument category"), Choice(InstrumentCategory), field="category", required=True,
               aliases=("仪器类别", "分类", "category"), examples=("电子与光学显微", "其他")),
        Column("model_name", pgettext_lazy("column", "Model"), Text(120), field="model_name", empty="",
               aliases=("型号", "规格型号", "model"), examples=("JEM-F200", "")),
        Column("manufacturer", pgettext_lazy("column", "Manufacturer"), Text(120), field="manufacturer", empty="",
               aliases=("生产厂家", "厂商", "制造商"), examples=("JEOL", "")),
        Column("address", pgettext_lazy("column", "Address"), Text(200), field="address", empty="",
               aliases=("地址", "放置地点"), examples=("上海市徐汇区云锦路", "")),
        Column("room", pgettext_lazy("column", "Room"), Text(60), field="room", empty="", aliases=("房间", "房间号"), examples=("B101", "")),
        Column("capabilities", pgettext_lazy("column", "Capabilities"), Text(), field="capabilities", required=True,
               aliases=("主要功能", "功能", "技术指标", "服务内容", "capabilities"),
               examples=("200kV场发射透射电镜，原子分辨成像与能谱分析", "百吨级聚烯烃中试放大")),
        Column("min_booking_minutes", pgettext_lazy("column", "Shortest booking (minutes)"), Integer(1, MAX_MINUTES),
               field="min_booking_minutes", empty=30, aliases=("最短预约分钟",), examples=(60, 480)),
        Column("max_booking_minutes", pgettext_lazy("column", "Longest booking (minutes)"), Integer(1, MAX_MINUTES),
               field="max_booking_minutes", empty=480, aliases=("最长预约分钟",), examples=(480, 4320)),
        Column("lead_time_hours", pgettext_lazy("column", "Lead time (hours)"), Integer(0, 24 * 365), field="lead_time_hours", empty=24,
               aliases=("提前预约小时",), examples=(24, 72)),
        Column("cancel_cutoff_hours", pgettext_lazy("column", "Cancellation cut-off (hours)"), Integer(0, 24 * 365),
               field="cancel_cutoff_hours", empty=24, aliases=("取消截止小时",), examples=(24, 48)),
        Column("price_own", pgettext_lazy("column", "Price per hour, own organisation (yuan)"), Amount(), field="price_own",
               empty=0, aliases=("本单位价格",), examples=(0, 0)),
        Column("price_corridor", pgettext_lazy("column", "Price per hour, corridor (yuan)"), Amount(), field="price_corridor",
               required=True, aliases=("走廊价格", "沿线价格"), examples=(600, 3000)),
        Column("price_outside", pgettext_lazy("column", "Price per hour, outside (yuan)"), Amount(), field="price_outside",
               required=True, aliases=("外部价格", "对外价格"), examples=(900, 4500)),
        Column("market_price", pgettext_lazy("column", "Market price per hour (yuan)"), Amount(), field="market_price",
               required=True, aliases=("市场价格", "市场参考价"), examples=(1200, 6000)),
        Column("qualification_required", pgettext_lazy("column", "Qualification required"), Boolean(), field="qualification_required",
               empty=False, aliases=("需要资质", "需培训上岗"), examples=("是", "否")),
        Column("approval_required", pgettext_lazy("column", "Approval required"), Boolean(), field="approval_required",
               empty=True, aliases=("需要审批", "预约需审核"), examples=("是", "是")),
        Column("status", pgettext_lazy("column", "Instrument status"), Choice(InstrumentStatus), field="status",
               empty=InstrumentStatus.AVAILABLE, aliases=("仪器状态", "status"), examples=("可用", "维护中")),
        Column("contact_name", pgettext_lazy("column", "Contact person"), Text(100), field="contact_name", empty="",
               aliases=("联系人姓名",), examples=("王工", "")),
        Column("contact_email", pgettext_lazy("column", "Contact e-mail"), Text.email(), field="contact_email", empty="",
               aliases=("邮箱", "电子邮箱", "email", "e-mail"), examples=("lab@example.cn", "")),
    ]

    def queryset(self) -> Any:
        return Instrument.objects.select_related("organization", "city")

    def prepare(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        if row.obj is not None and row.values.get("owner") is None and "owner" not in present:
            row.values["owner"] = row.obj.organization
        super().prepare(row, ctx, present)

    def field_data(self, row: Row, present: set[str]) -> dict[str, Any]:
        data = super().field_data(row, present)
        data["organization"] = data.pop("owner", None) or row.values.get("owner")
        return data

    def find_natural(self, rows: Sequence[Row]) -> dict[Any, list[Any]]:
        keys = [r.natural_key for r in rows if r.natural_key is not None]
        if not keys:
            return {}
        qs = self.queryset().filter(organization_id__in={k[0] for k in keys}, name__in={k[1] for k in keys})
        return self.group(qs, lambda o: (o.organization_id, o.name))

    def write(self, row: Row, ctx: RunContext, present: set[str]) -> Any:
        data = self.field_data(row, present)
        if row.obj is None:
            return services.instrument_create(user=ctx.user, data=data, source=self.source)
        return services.instrument_update(row.obj, user=ctx.user, data=data, source=self.source)
