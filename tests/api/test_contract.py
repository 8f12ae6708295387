"""The OpenAPI document declares the error shape the API really sends, once, and every
operation's error answers point to it (clients generated from the document rely on it)."""

ERRORS = ("400", "401", "403", "404", "409", "422", "429")


def test_every_operation_documents_its_errors_with_the_one_error_schema(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "errors", "message"]
    assert error["properties"]["code"]["type"] == "string"
    assert error["properties"]["message"]["type"] == "string"
    assert error["properties"]["errors"]["additionalProperties"] == {
        "type": "array",
        "items": {"type": "string"},
    }
    responses = spec["components"]["responses"]
    operations = [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]
    assert len(operations) > 50
    for method, path, operation in operations:
        for status in ERRORS:
            reference = operation["responses"].get(status, {}).get("$ref", "")
            assert reference.startswith("#/components/responses/"), (method, path, status)
            answer = responses[reference.rsplit("/", 1)[1]]
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


NUMERIC_KEYWORDS = {
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
}


def test_every_bound_in_the_document_is_a_number(client):
    """A bound written as a string ("1") makes the document invalid for every client
    generator; exact decimals are strings in answers, never in the schema's bounds."""
    spec = client.get("/api/v1/openapi.json").get_json()
    wrong = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in NUMERIC_KEYWORDS and (
                    isinstance(value, bool) or not isinstance(value, int | float)
                ):
                    wrong.append(f"{where}/{key} = {value!r}")
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(spec, "")
    assert not wrong, wrong
