"""The API is made from the public vocabulary: its schemas name, type and describe exactly the vocabulary's columns."""

import json

import pytest

from coalition.vocabulary import TABLES


@pytest.fixture(scope="module")
def openapi():
    from coalition.api import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))  # as openapi.json serves it


def _row_schema(openapi, name: str) -> dict:
    response = openapi["paths"][f"/api/v1/{name}/"]["get"]["responses"]["200"]["content"]["application/json"]
    page = openapi["components"]["schemas"][response["schema"]["$ref"].rsplit("/", 1)[1]]
    return openapi["components"]["schemas"][page["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]]


@pytest.mark.parametrize("name", TABLES)
def test_api_schema_field_names_are_the_vocabulary_column_names(openapi, name):
    assert list(_row_schema(openapi, name)["properties"]) == TABLES[name].column_names


@pytest.mark.parametrize("name", TABLES)
def test_api_fields_carry_the_vocabulary_descriptions_types_and_codes(openapi, name):
    properties = _row_schema(openapi, name)["properties"]
    json_types = {"string": "string", "integer": "integer", "date": "string", "boolean": "boolean"}
    for column in TABLES[name].columns:
        field = properties[column.name]
        assert field["description"].startswith(column.description)
        typed = field if column.required else field["anyOf"][0]
        assert typed["type"] == json_types[column.type]
        if column.type == "date":
            assert typed["format"] == "date"
        if column.codes:
            assert typed["enum"] == column.code_values
            assert all(f"{code} = {label}" in field["description"] for code, label in column.codes)
        if not column.required:
            assert field["anyOf"][1] == {"type": "null"}


@pytest.mark.parametrize("name", TABLES)
def test_api_list_parameters_are_the_filterset_filters_and_the_paging(openapi, name):
    table = TABLES[name]
    parameters = openapi["paths"][f"/api/v1/{name}/"]["get"]["parameters"]
    filters = list(table.filterset.base_filters) if table.filterset else []
    assert [parameter["name"] for parameter in parameters] == [*filters, "after", "limit"]
    for parameter in parameters[: len(filters)]:
        choices = table.filterset.base_filters[parameter["name"]].extra.get("choices")
        if choices:
            assert parameter["schema"]["enum"] == [str(code) for code, _ in choices]


@pytest.mark.parametrize("name", TABLES)
def test_each_table_is_read_by_its_primary_key(openapi, name):
    keys = TABLES[name].primary_key
    rows = [path for path in openapi["paths"] if path.startswith(f"/api/v1/{name}/{{")]
    # A table keyed by one column is read row by row; a link table (two columns) through its list only.
    assert rows == ([f"/api/v1/{name}/{{{keys[0]}}}"] if len(keys) == 1 else [])
