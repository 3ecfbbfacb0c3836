"""Incremental validation: outcomes are remembered by content, so a second run validates only
what is new or changed, and says so, with exactly the findings a full run gives."""

import json

from conftest import SEED, run_goaltrace


def validate(store, cache, *extra):
    result = run_goaltrace("validate", "--format", "json", "--store", str(store), "--cache", str(cache), *extra)
    assert result.returncode in (0, 1), result.stderr_text
    return json.loads(result.stdout_text), result.stderr_text


def test_only_new_or_changed_forms_are_validated_again(tmp_path, seed_text):
    store, cache = tmp_path / "store", tmp_path / "cache"
    run_goaltrace("import", "--store", str(store), str(SEED), check=True)
    first, said = validate(store, cache)
    assert first["forms"] == 9 and said == ""  # every form validated
    again, said = validate(store, cache)
    assert again == first
    assert said == f"goaltrace: validated 0 of 9 forms; the others are unchanged since an earlier run (remembered in {cache})\n"

    changed = tmp_path / SEED.name  # the file published again, one form changed: weights that add up to 105
    changed.write_text(seed_text.replace("法律援助办结案件数量\t≥\t800件\t20", "法律援助办结案件数量\t≥\t800件\t25"), encoding="utf-8")
    assert changed.read_text(encoding="utf-8") != seed_text
    run_goaltrace("import", "--store", str(store), str(changed), check=True)
    after, said = validate(store, cache)
    assert "validated 1 of 9 forms" in said
    full, _ = validate(store, tmp_path / "unused", "--no-cache")
    assert after == full  # the same findings as validating everything
    assert not (tmp_path / "unused").exists()
    new = {(r["rule"], r["form"]) for r in after["results"]} - {(r["rule"], r["form"]) for r in first["results"]}
    assert [rule for rule, form in new] == ["weights-total-100"] and all(form.endswith("/法律援助") for _, form in new)


def test_a_damaged_cache_entry_is_validated_again(tmp_path):
    store, cache = tmp_path / "store", tmp_path / "cache"
    run_goaltrace("import", "--store", str(store), str(SEED), check=True)
    first, _ = validate(store, cache)
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 10  # nine forms and the declaration
    for entry in entries[:3]:
        entry.write_text("{ not json", encoding="utf-8")
    again, said = validate(store, cache)
    assert again == first and "validated" in said
