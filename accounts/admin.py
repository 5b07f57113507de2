from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "first_name", "email", "phone", "is_active", "is_staff")
    search_fields = ("username", "first_name", "email", "phone")
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("phone",)}))
