import pytest

from omadm_harness.catalogue import Catalogue, CatalogueError, normalise_label

from helpers import CATALOGUE


def test_normalise_removes_the_stray_space():
    assert normalise_label("MgmtPolicyMO-Device -01") == "MgmtPolicyMO-Device-01"


def test_printed_form_resolves_to_canonical_id():
    req = CATALOGUE.resolve("MgmtPolicyMO-Device -02")
    assert req.id == "MgmtPolicyMO-Device-02"
    assert req.label_as_printed == "MgmtPolicyMO-Device -02"


def test_catalogue_keeps_gaps_and_padding():
    ids = CATALOGUE.ids()
    assert "MgmtPolicyMO-HLF-7" not in ids
    assert "MgmtPolicyMO-HLF-1" in ids and "MgmtPolicyMO-IOP-01" in ids
    assert len(ids) == 23


def test_strength_and_role():
    assert CATALOGUE.get("MgmtPolicyMO-IOP-01").strength == "SHOULD"
    assert CATALOGUE.get("MgmtPolicyMO-DMS-01").role == "server"
    assert CATALOGUE.strength_of(["MgmtPolicyMO-IOP-01"]) == "SHOULD"
    assert CATALOGUE.strength_of(["MgmtPolicyMO-IOP-01", "MgmtPolicyMO-HLF-1"]) == "SHALL"


def test_unknown_label_does_not_resolve():
    assert CATALOGUE.resolve("MgmtPolicyMO-HLF-7") is None


def test_bad_catalogue_id_is_rejected(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("requirements:\n  - id: Foo\n    strength: SHALL\n")
    with pytest.raises(CatalogueError):
        Catalogue.load(f)
