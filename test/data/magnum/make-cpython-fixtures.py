#!/usr/bin/env python3
"""Writes cpython-fixtures.json: what CPython itself answers for the two Python behaviours the Magnum driver's values
document depends on, so that tests compare our TypeScript and Go reimplementations with the real thing without needing
Python at test time.

- `sanitize`: the rule of magnum_capi_helm.driver_utils.sanitized_name (openstack/magnum-capi-helm 1.4.0): lowercase the
  name with str.lower(), replace every run of characters outside [a-z0-9] by "-", strip "-" at both ends.
- `dumps`: json.dumps(value) with its defaults, as magnum_capi_helm/helm.py writes the document on Helm's stdin.

Run: python3 test/data/magnum/make-cpython-fixtures.py > test/data/magnum/cpython-fixtures.json
"""
import json
import random
import re
import sys
import unicodedata


def sanitize(name):
    return re.sub("[^a-z0-9]+", "-", name.lower()).strip("-")


def awkward_strings():
    fixed = [
        "", "a", "A", "-", "--", "a--b", "A_B", "-x-", "ng_1", "__DEFAULT__", "ceph_HDD", "NVMe.Fast", "fast_ssd", "fast-ssd",
        "High IOPS", "Größe", "高速", "ключ", "default-worker", "GPU", "gpu", "production-kubernetes-cluster-01",
        "production-kubernetes-cluster--abcdefghijkl-control-plane", "\u0130stanbul", "x\u0130y", "\u212aelvin", "\u00c5ngstr\u00f6m",
        "\u1e9e", "\u03a3\u03a3", "emoji \U0001F600 here", "tab\tnew\nline", "\u2028sep\u2029", "\u00a0nbsp\u00a0", "a\u0307b", "ﬁle",
        "ＡＢＣ", "١٢٣", "Ⅻ", "x" * 300, "-" * 5 + "a" + "_" * 5,
    ]
    rng = random.Random(20261125)
    alphabet = (
        [chr(c) for c in range(0x20, 0x7f)]
        + ["\u0130", "\u212a", "\u00df", "\u00e9", "\u00c9", "\u0131", "\u03a3", "\u1e9e", "\u2160", "\uff21", "\u0660", "\U0001F600", "\u0307"]
    )
    generated = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    return fixed + generated


def dumps_cases():
    return [
        {"kubernetesVersion": "1.34.2", "machineSSHKeyName": None, "etcd": {}, "nodeGroups": [], "n": 0, "neg": -5, "big": 2**40},
        {"autoscale": "true", "lb-provider": "ovn", "create-monitor": True, "ports": [{}, {"network": {"name": "a"}, "securityGroups": []}]},
        {"s": "quote\" backslash\\ slash/ nl\n cr\r tab\t bs\b ff\f nul\x00 us\x1f del\x7f nbsp\u00a0 ls\u2028 ps\u2029 bom\ufeff"},
        {"s": "Größe 高速 emoji \U0001F600 \ufffe\uffff", "k\u00e9y": ["\u0130", "{{ .Values }}"]},
    ]


def main():
    out = {
        "provenance": "Computed by CPython %s with test/data/magnum/make-cpython-fixtures.py (unicodedata %s)."
        % (sys.version.split()[0], unicodedata.unidata_version),
        "sanitize": [{"input": s, "output": sanitize(s)} for s in awkward_strings()],
        "dumps": [{"value": v, "text": json.dumps(v)} for v in dumps_cases()],
    }
    json.dump(out, sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")


main()
