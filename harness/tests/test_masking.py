from omadm_harness.masking import mask_transcript

MSG = """<SyncML><SyncHdr><SessionID>{sid}</SessionID><Cred><Meta><Type>syncml:auth-md5</Type></Meta>
<Data>{cred}</Data></Cred><Meta><NextNonce>{nonce}</NextNonce></Meta></SyncHdr><SyncBody>
<Alert><Correlator>{corr}</Correlator><Item><Data>done at {ts}</Data></Item></Alert>
<Exec><Correlator>c-1</Correlator></Exec></SyncBody></SyncML>"""


def run_of(sid, cred, nonce, corr, ts):
    return [{"dir": "in", "msg_id": 1, "xml": MSG.format(sid=sid, cred=cred, nonce=nonce, corr=corr, ts=ts)}]


def test_two_runs_mask_to_the_same_text():
    a = mask_transcript(run_of("1A", "Zm9v", "bm9uY2U=", "r-829", "2026-01-01T10:00:00Z"), {"c-1"})
    b = mask_transcript(run_of("7F", "YmFy", "b3RoZXI=", "r-113", "2026-03-04T11:22:33Z"), {"c-1"})
    assert a == b


def test_masked_fields_and_kept_correlator():
    xml = mask_transcript(run_of("1A", "Zm9v", "bm9uY2U=", "r-829", "2026-01-01T10:00:00Z"), {"c-1"})[0]["xml"]
    assert "{SessionID-1}" in xml and "{CredData-1}" in xml and "{NextNonce-1}" in xml
    assert "{Correlator-1}" in xml and "<Correlator>c-1</Correlator>" in xml and "{Time-1}" in xml
    assert "Zm9v" not in xml and "r-829" not in xml


def test_same_value_same_placeholder():
    msgs = run_of("1A", "x", "n", "r", "t") + run_of("1A", "y", "n", "r", "t")
    out = mask_transcript(msgs)
    assert "{SessionID-1}" in out[1]["xml"] and "{CredData-2}" in out[1]["xml"]
