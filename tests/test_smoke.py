from kiosk.services.people import search


def test_demo_search_finds_the_garcia_parents(ctx, desk):
    hits = search(ctx, desk, "garcia")
    names = {(h.kind, h.name) for h in hits}
    assert ("guardian", "Maria Garcia") in names
    assert ("student", "Sofia Garcia") in names
