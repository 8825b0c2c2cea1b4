from django.contrib import admin

from corridor.regions.models import City, Industry


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "province", "corridor")
    list_filter = ("province", "corridor")
    search_fields = ("code", "name", "name_en")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("scheme", "code", "name", "level", "parent")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
