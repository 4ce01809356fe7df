"""A check names the message it judged: locators resolved against the case's transcript."""
from omadm_harness.evidence import (alert_locator, attach_messages, message_locator, results_locator,
                                    status_locator)
from omadm_harness.verdicts import CaseResult, CheckResult

NS = 'xmlns="SYNCML:SYNCML1.2"'
PKG1 = f'<SyncML {NS}><SyncHdr/><SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>'
PKG2 = f'<SyncML {NS}><SyncHdr/><SyncBody><Add><CmdID>3</CmdID></Add><Final/></SyncBody></SyncML>'
PKG3 = (f'<SyncML {NS}><SyncHdr/><SyncBody>'
        '<Status><CmdID>2</CmdID><Cmd>Add</Cmd><TargetRef>./MgmtPolicy/p1</TargetRef><Data>200</Data></Status>'
        '<Status><CmdID>3</CmdID><Cmd>Add</Cmd><TargetRef>./MgmtPolicy/p2</TargetRef><Data>418</Data></Status>'
        '<Results><CmdID>4</CmdID><Item><Source><LocURI>./MgmtPolicy/p1/Version</LocURI></Source>'
        '<Data>1</Data></Item></Results><Final/></SyncBody></SyncML>')
PKG5 = (f'<SyncML {NS}><SyncHdr/><SyncBody><Alert><CmdID>2</CmdID><Data>1226</Data><Item><Source>'
        '<LocURI>./MgmtPolicy/p1</LocURI></Source></Item></Alert><Final/></SyncBody></SyncML>')
TRANSCRIPT = [{"dir": "in", "msg_id": 1, "xml": PKG1}, {"dir": "out", "msg_id": 1, "xml": PKG2},
              {"dir": "in", "msg_id": 2, "xml": PKG3}, {"dir": "note", "msg_id": 0, "xml": "Traceback"},
              {"dir": "in", "msg_id": 1, "xml": PKG5}]


def check(locator):
    return CheckResult("c", ["MgmtPolicyMO-HLF-1"], "SHALL", False, locator=locator)


def test_each_locator_finds_the_message_that_holds_what_was_read():
    found = {
        "status": check(status_locator({"cmd": "Add", "target": "./MgmtPolicy/p2", "code": 418})),
        "status-other-code": check(status_locator({"cmd": "Add", "target": "./MgmtPolicy/p2", "code": 200})),
        "results": check(results_locator("./MgmtPolicy/p1/Version")),
        "alert": check(alert_locator("./MgmtPolicy/p1")),
        "finding-out": check(message_locator("out", 1)),
        "finding-in": check(message_locator("in", 2)),
        "none": check(None),
    }
    result = CaseResult("x", checks=list(found.values()), transcript=TRANSCRIPT)
    attach_messages(result)
    assert {k: c.message for k, c in found.items()} == {
        "status": 3, "status-other-code": None, "results": 3, "alert": 5, "finding-out": 2, "finding-in": 3,
        "none": None}


def test_the_message_survives_results_json():
    result = CaseResult("x", checks=[check(results_locator("./MgmtPolicy/p1/Version"))], transcript=TRANSCRIPT)
    attach_messages(result)
    again = CaseResult.from_json(result.to_json())
    assert again.checks[0].message == 3
