#!/usr/bin/python3
"""Generate omadm/base/requirements.hpp from testcases/requirements.yaml.

Each label becomes a constant `omadm::req::MgmtPolicyMO_HLF_1` so a typo fails to compile.
Usage: gen_requirements_hpp.py <requirements.yaml> <output.hpp>
"""
import re
import sys

import yaml


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: gen_requirements_hpp.py <requirements.yaml> <output.hpp>", file=sys.stderr)
        return 2
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    lines = [
        "#pragma once",
        "// Generated from testcases/requirements.yaml by tools/gen_requirements_hpp.py. Do not edit.",
        "",
        "#include <array>",
        "#include <string_view>",
        "",
        "namespace omadm::req {",
        "",
        "struct Requirement {",
        "    std::string_view id;",
        "    std::string_view label_as_printed;",
        "    std::string_view strength;",
        "};",
        "",
    ]
    names = []
    for r in doc["requirements"]:
        rid = r["id"]
        if not re.fullmatch(r"MgmtPolicyMO-[A-Za-z]+-\d+", rid):
            print(f"{src}: bad requirement id {rid!r}", file=sys.stderr)
            return 1
        name = rid.replace("-", "_")
        names.append(name)
        lines.append(
            f'inline constexpr Requirement {name}{{"{rid}", "{r["label_as_printed"]}", "{r["strength"]}"}};'
        )
    lines += [
        "",
        f"inline constexpr std::array<Requirement, {len(names)}> kAll{{",
        *[f"    {n}," for n in names],
        "};",
        "",
        "}  // namespace omadm::req",
        "",
    ]
    text = "\n".join(lines)
    try:
        with open(out, encoding="utf-8") as f:
            if f.read() == text:
                return 0
    except FileNotFoundError:
        pass
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
