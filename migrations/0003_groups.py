"""Create the editor, researcher and linker groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Codename prefixes per group; each applies to every model of the app (history models included).
EVERY_MODEL = {
    "editor": ("add", "change", "delete", "view", "import", "export"),
    "researcher": ("view", "export"),
    "linker": ("view",),
}
# Extra permissions on particular models.
EXTRA = {"linker": {"citation": ("add", "change")}}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("coalition")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_perms = Permission.objects.filter(content_type__app_label="coalition")
    for name, actions in EVERY_MODEL.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [p for p in app_perms if p.codename.split("_", 1)[0] in actions]
        for model, extra_actions in EXTRA.get(name, {}).items():
            wanted += [p for p in app_perms if p.codename in {f"{a}_{model}" for a in extra_actions}]
        group.permissions.set(wanted)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=EVERY_MODEL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coalition", "0002_countries"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
