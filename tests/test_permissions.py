"""Every page and action of the editing interface, for every group, against the README's permission table."""

import hashlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse

from coalition import models
from coalition.resources import RESOURCE_FOR_MODEL

from .test_admin import make

pytestmark = pytest.mark.django_db

ROLES = [None, "researcher", "linker", "editor"]  # None: not logged in
ACTIONS = ["view", "add", "change", "delete", "import", "export", "revert"]
ALL = "all"

# Per model URL name (after "<app>_<model>_"): the permission a GET needs and the one a POST needs.
# A URL name missing here fails the walk: classify every new admin view.
MODEL_VIEWS = {
    "changelist": ("view", "view"),  # the actions POSTed to it are walked one by one (ADMIN_ACTIONS)
    "add": ("add", "add"),
    "change": ("view", "change"),
    "delete": ("delete", "delete"),
    "history": ("view", "view"),
    "simple_history": ("view", "revert"),  # an old version's form; a POST saves it
    "import": ("import", "import"),
    "process_import": (None, "import"),  # POST only: a GET is 405 for everyone
    "export": ("export", "export"),
    "password_change": ("change", "change"),  # a user's password, set by someone who may change users
    "deleted": ("view", "view"),  # the list of deleted records
    "restore": (None, "add"),  # recreating a deleted record (POST only)
    # The reading view of a source, its record search and source picker; saving a selected passage (POST only)
    # needs the add permission on citations, not on sources.
    "read": ("view", "view"),
    "records": ("view", "view"),
    "pick": ("view", "view"),
    "cite": (None, ("add", "citation")),
}
# Admin actions (POSTed to the changelist) and the permission each needs.
ADMIN_ACTIONS = {
    "delete_selected": "delete",
    "export_admin_action": "export",
    "cleanup_expired_attempts": "delete",  # django-axes: removes expired lockouts
}
# The admin site's own URL names: "staff" (any logged-in staff member), "anyone", or "autocomplete"
# (the view permission on the model searched).
SITE_VIEWS = {
    "index": "staff",
    "login": "anyone",
    "logout": "staff",
    "password_change": "staff",
    "password_change_done": "staff",
    "jsi18n": "staff",
    "view_on_site": "staff",
    "app_list": "staff",
    "autocomplete": "autocomplete",
}
# What no one may do, whatever the groups say (README: countries come from ISO 3166).
NEVER = {("country", "add"), ("country", "delete")}


def readme_table() -> dict[str, dict[str, set[str] | str]]:
    """Return the README's group table: per group, per action, a set of model names or ALL."""
    text = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    lines = iter(text.splitlines())
    for line in lines:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells and cells[0] == "group" and cells[1:] == ACTIONS:
            break
    else:
        raise AssertionError("README has no table with the columns: group | " + " | ".join(ACTIONS))
    next(lines)  # the --- row
    table = {}
    for line in lines:
        if not line.startswith("|"):
            break
        group, *values = [cell.strip() for cell in line.strip().strip("|").split("|")]
        table[group] = {
            action: ALL
            if value == ALL
            else {name.strip() for name in value.split(",") if name.strip() not in {"", "—"}}
            for action, value in zip(ACTIONS, values, strict=True)
        }
    return table


TABLE = readme_table()


def may(role: str | None, model, action: str | tuple[str, str]) -> bool:
    """Return whether the README lets `role` do `action` on `model` (or on the model an (action, model name)
    pair names) through the editing interface."""
    if isinstance(action, tuple):
        action, model = action[0], apps.get_model("coalition", action[1])
    if role is None or model._meta.app_label != "coalition" or (model._meta.model_name, action) in NEVER:
        return False
    allowed = TABLE[role][action]
    return allowed == ALL or model._meta.model_name in allowed


def coalition_models():
    return [model for model in admin.site._registry if model._meta.app_label == "coalition"]


# --- the data the walk needs ---------------------------------------------------------------------------


def a_record(model):
    """Return a saved record of `model` with a history row, for its change, history and delete pages."""
    if model._meta.app_label == "coalition":
        record = make(model)
        record.save()  # a history row of its own (countries come from a migration without one)
        return record
    if model is User:
        return User.objects.create_user("someone", password="another-long-password", is_staff=True)
    if model is Group:
        return Group.objects.create(name="reviewers")
    fields = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "someone", "http_accept": "*/*"}
    if model is AccessAttempt:
        return AccessAttempt.objects.create(**fields, get_data="", post_data="", failures_since_start=1)
    if model in (AccessLog, AccessFailureLog):
        return model.objects.create(**fields)
    raise AssertionError(f"the walk has no record for {model.__name__}: add one in a_record()")


def a_deleted_record(model):
    """Return the primary key of a record of `model` that was deleted (its history ends with the deletion)."""
    record = make(model)
    if (model._meta.model_name, "add") in NEVER:
        return record.pk  # never added, so never restored: any record will do
    pk = record.pk
    record.delete()
    return pk


def table_checksums() -> dict[str, str]:
    """Return a checksum of every row of every coalition, auth and admin-log table."""
    sums = {}
    for app_label in ("coalition", "auth", "admin"):
        for model in apps.get_app_config(app_label).get_models():
            tables = [model, *(field.remote_field.through for field in model._meta.local_many_to_many)]
            for table in tables:
                rows = table._base_manager.order_by("pk").values_list()
                sums[table._meta.db_table] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return sums


class FormFields(HTMLParser):
    """Collects the fields of the largest POST form of a page, with the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post" and attrs.get("id") != "logout-form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.current.append((attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.current.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.current.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea and self.current:
            name, value = self.current[-1]
            self.current[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_data(response) -> dict[str, list[str]]:
    """Return the POST data of the page's main form, as a browser would submit it unchanged."""
    assert response.status_code == 200, response
    parser = FormFields()
    parser.feed(response.content.decode())
    fields = max(parser.forms, key=len) if parser.forms else []
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value.removeprefix("\n"))  # browsers drop a textarea's first newline
    return data


def csv_choice(page) -> str:
    """Return the value that chooses CSV in the format menu of an import or export page."""
    return next(value for value, label in page.context["form"].fields["format"].choices if label == "csv")


def import_confirmation(chief: Client, model) -> dict[str, list[str]]:
    """Return the confirm form's data of an import preview: the model's own export, read back."""
    exported = RESOURCE_FOR_MODEL[model]().export().csv
    page = chief.get(reverse(f"admin:coalition_{model._meta.model_name}_import"))
    data = form_data(page)
    data.update({"format": [csv_choice(page)], "import_file": SimpleUploadedFile("rows.csv", exported.encode())})
    preview = chief.post(reverse(f"admin:coalition_{model._meta.model_name}_import"), data)
    assert preview.context.get("confirm_form") is not None, preview.content.decode()[:2000]
    parser = FormFields()
    parser.feed(preview.content.decode())
    confirm_form = next(f for f in parser.forms if any(n == "import_file_name" for n, _ in f))
    return {name: [value] for name, value in confirm_form}


# --- walking ---------------------------------------------------------------------------------------------


class Rollback(Exception):
    pass


def send(client, method, address, data=None, *, watch=True):
    """Return the response to one request, with every write it made rolled back, and whether it wrote."""
    before = table_checksums() if watch else None
    try:
        with transaction.atomic():
            response = getattr(client, method)(address, data or {})
            wrote = watch and table_checksums() != before
            raise Rollback
    except Rollback:
        pass
    return response, wrote


def assert_outcome(role, allowed, method, address, response, wrote, *, get_status=200):
    where = f"{role or 'anonymous'} {method.upper()} {address}"
    if role is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), where
    elif not allowed:
        assert response.status_code == 403, f"{where}: {response.status_code}, expected 403"
    elif method == "get":
        assert response.status_code == get_status, f"{where}: {response.status_code}, expected {get_status}"
    else:
        assert response.status_code not in {403, 405}, f"{where}: {response.status_code}"
    if not allowed:
        assert not wrote, f"{where} was refused but changed the database"


@pytest.fixture
def chief(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def member(request, client, django_user_model):
    """Return (role, client) for the parametrized role, logged in unless anonymous."""
    role = request.param
    if role is not None:
        user = django_user_model.objects.create_user(role, password="a-long-test-password", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
    return role, client


def model_urls(model_admin):
    """Yield (suffix, pattern) for every named URL of a model admin."""
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
    for pattern in model_admin.get_urls():
        if isinstance(pattern, URLPattern) and pattern.name:
            assert pattern.name.startswith(prefix), pattern.name
            yield pattern.name.removeprefix(prefix), pattern


def test_every_admin_url_name_is_classified():
    unclassified = set()
    for model_admin in admin.site._registry.values():
        unclassified |= {f"{model_admin.opts.label}: {suffix}" for suffix, _ in model_urls(model_admin)} - {
            f"{model_admin.opts.label}: {suffix}" for suffix in MODEL_VIEWS
        }
        superuser_request = RequestFactory().get("/")
        superuser_request.user = User(is_superuser=True, is_staff=True, is_active=True)
        unclassified |= set(model_admin.get_actions(superuser_request)) - set(ADMIN_ACTIONS)
    names = {p.name for p in admin.site.get_urls() if isinstance(p, URLPattern) and p.name}
    unclassified |= names - set(SITE_VIEWS)
    assert not unclassified, f"classify these admin views in tests/test_permissions.py: {sorted(unclassified)}"


def test_the_groups_permissions_are_the_readme_table():
    for role in ("editor", "researcher", "linker"):
        codenames = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        for model in coalition_models():
            for action in ACTIONS:
                codename = f"{'change' if action == 'revert' else action}_{model._meta.model_name}"
                expected = TABLE[role][action] == ALL or model._meta.model_name in TABLE[role][action]
                assert (codename in codenames) == expected, f"{role}: {codename}"
        assert not Group.objects.get(name=role).permissions.exclude(content_type__app_label="coalition").exists()
    assert set(TABLE) == {"editor", "researcher", "linker"}


@pytest.mark.parametrize("member", ROLES, indirect=True, ids=lambda role: role or "anonymous")
@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_admin_page_answers_as_the_readme_says(member, model, chief, superuser):
    role, client = member
    model_admin = admin.site._registry[model]
    record = a_record(model)
    history = getattr(record, "history", None)
    args = {1: [quote(record.pk)], 2: [quote(record.pk), history.latest().history_id if history else 0]}
    for suffix, pattern in model_urls(model_admin):
        get_needs, post_needs = MODEL_VIEWS[suffix]
        if suffix == "restore":
            address = reverse(f"admin:{pattern.name}", args=[quote(a_deleted_record(model))])
        else:
            address = reverse(f"admin:{pattern.name}", args=args.get(pattern.pattern.regex.groups, []))
        # What a browser of someone allowed would POST: the page's own form, unchanged.
        if suffix == "process_import":
            data = import_confirmation(chief, model)
        elif suffix == "delete":
            data = {"post": "yes"}
        elif suffix == "add" and model._meta.app_label == "coalition":
            data = form_data(chief.get(reverse(f"admin:{pattern.name.removesuffix('add')}change", args=[record.pk])))
        elif suffix in {"add", "change", "simple_history", "import", "export", "password_change"}:
            page = chief.get(address)  # refused even to a superuser when the admin allows no one (403)
            data = form_data(page) if page.status_code != 403 else {}
        else:
            data = {}
        if get_needs is None:
            response, wrote = send(client, "get", address)
            assert response.status_code == (302 if role is None else 405) and not wrote, address
        else:
            allowed = may(role, model, get_needs)
            response, wrote = send(client, "get", address, watch=not allowed)  # a refusal must not write
            assert_outcome(role, allowed, "get", address, response, wrote)
        response, wrote = send(client, "post", address, data)
        assert_outcome(role, may(role, model, post_needs), "post", address, response, wrote)

    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    superuser_request = RequestFactory().get(changelist)
    superuser_request.user = superuser
    for action in model_admin.get_actions(superuser_request):
        data = {"action": action, ACTION_CHECKBOX_NAME: [record.pk], "index": 0, "post": "yes"}
        response, wrote = send(client, "post", changelist, data)
        allowed = may(role, model, ADMIN_ACTIONS[action])
        assert_outcome(role, allowed, "post", f"{changelist} ({action})", response, wrote)


@pytest.mark.parametrize("member", ROLES, indirect=True, ids=lambda role: role or "anonymous")
def test_the_admin_sites_own_pages_answer_as_the_readme_says(member):
    role, client = member
    summit = make(models.Summit)
    addresses = {
        "index": [],
        "login": [],
        "password_change": [],
        "password_change_done": [],
        "jsi18n": [],
        "view_on_site": [ContentType.objects.get_for_model(summit).pk, summit.pk],
        "app_list": ["coalition"],
        "autocomplete": [],
        "logout": [],  # last: it ends the session
    }
    assert set(addresses) == set(SITE_VIEWS)
    for name, args in addresses.items():
        address = reverse(f"admin:{name}", args=args)
        if SITE_VIEWS[name] == "anyone":
            response, wrote = send(client, "get", address)
            assert response.status_code in {200, 302} and not wrote
            continue
        if name == "autocomplete":
            walk_autocomplete(role, client)
            continue
        response, wrote = send(client, "get", address)
        if name == "logout" and role is None:  # the admin sends a stranger logging out to its index
            assert response.status_code == 302 and response["Location"] == reverse("admin:index") and not wrote
            continue
        expected = {"view_on_site": 302, "logout": 405}.get(name, 200) if role else 200  # logout is POST only
        assert_outcome(role, True, "get", address, response, wrote, get_status=expected)
        response, wrote = send(client, "post", address)
        if name in {"password_change_done", "jsi18n"} and role:  # pages that only answer GET
            assert response.status_code == 405 and not wrote
        else:
            assert_outcome(role, True, "post", address, response, wrote)


def walk_autocomplete(role, client):
    """Search every autocomplete field: allowed to whoever may view the model searched."""
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for owner in (model_admin, *inlines):
            for field_name in owner.autocomplete_fields:
                field = owner.model._meta.get_field(field_name)
                params = {"app_label": owner.model._meta.app_label, "model_name": owner.model._meta.model_name}
                address = reverse("admin:autocomplete")
                response, wrote = send(client, "get", address, {**params, "field_name": field_name, "term": "a"})
                assert_outcome(role, may(role, field.related_model, "view"), "get", address, response, wrote)


# --- the paths a security review found or suspected --------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def test_a_researchers_post_of_a_history_form_changes_nothing(client, chief, researcher, editor):
    commitment = make(models.Commitment)
    first = commitment.history.earliest()
    commitment.description = "Changed since"
    commitment.save()
    address = reverse("admin:coalition_commitment_simple_history", args=[commitment.pk, first.history_id])
    data = form_data(chief.get(address))
    response, wrote = send(login(client, researcher), "post", address, data)
    assert response.status_code == 403 and not wrote
    # The same form, posted by an editor, does revert: the data is a real revert.
    response, wrote = send(login(client, editor), "post", address, data)
    assert response.status_code == 302 and wrote


def test_the_export_action_and_the_export_page_check_the_permission_on_post(client, linker, researcher):
    commitment = make(models.Commitment)
    changelist = reverse("admin:coalition_commitment_changelist")
    action = {"action": "export_admin_action", ACTION_CHECKBOX_NAME: [commitment.pk], "index": 0}
    export = reverse("admin:coalition_commitment_export")
    researcher_client = login(Client(), researcher)
    page = researcher_client.post(changelist, action)  # the export page the action shows
    export_form = {**form_data(page), "format": [csv_choice(page)]}
    assert export_form["export_items"] == [str(commitment.pk)]
    linker_client = login(client, linker)
    assert linker_client.post(changelist, action).status_code == 403
    assert linker_client.post(export, export_form).status_code == 403
    response = researcher_client.post(export, export_form)
    assert response.status_code == 200 and commitment.slug in response.content.decode()


def test_exporting_from_a_change_page_needs_the_export_permission(client, chief, linker):
    citation = make(models.Citation)
    address = reverse("admin:coalition_citation_change", args=[citation.pk])
    data = form_data(chief.get(address))
    response, wrote = send(login(client, linker), "post", address, {**data, "_export-item": "1"})
    assert response.status_code == 403 and not wrote
    response, wrote = send(client, "post", address, data)  # the same save without the export
    assert response.status_code == 302


def test_the_import_confirm_step_checks_the_permission_on_post(client, researcher, linker, editor):
    commitment = make(models.Commitment)
    exported = RESOURCE_FOR_MODEL[models.Commitment]().export().csv.replace(commitment.description, "Rewritten")
    editors = login(client, editor)
    page = editors.get(reverse("admin:coalition_commitment_import"))
    data = form_data(page)
    data.update({"format": [csv_choice(page)], "import_file": SimpleUploadedFile("rows.csv", exported.encode())})
    preview = editors.post(reverse("admin:coalition_commitment_import"), data)
    confirm = {name: value for name, value in preview.context["confirm_form"].initial.items()}
    address = reverse("admin:coalition_commitment_process_import")
    for user in (researcher, linker):
        response, wrote = send(login(Client(), user), "post", address, confirm)
        assert response.status_code == 403 and not wrote
    # The preview is the editor's own: only their session may confirm it.
    response, wrote = send(editors, "post", address, confirm)
    assert response.status_code == 302 and wrote
