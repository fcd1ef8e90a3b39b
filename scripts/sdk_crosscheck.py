#!/usr/bin/env python3
"""Cross-check: the providers' official SDKs against `imgcat sim serve`, and imgcat against the same.

Run through `scripts/sdk_crosscheck.sh` (it makes the venv, builds imgcat, starts the simulator with
the credentials below in the environment, and stops it afterwards). Direct use:

    python3 scripts/sdk_crosscheck.py --endpoint http://127.0.0.1:PORT --imgcat target/release/imgcat

inside a venv holding the pinned SDKs (see PINNED), with the simulator's credentials in the
environment variables the SDKs / imgcat read:

    HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID
    TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY
    ZENLAYERCLOUD_ACCESS_KEY_ID, ZENLAYERCLOUD_ACCESS_KEY_PASSWORD

For each of the five APIs it lists every image with the official SDK (the SDK's own request
building and AK/SK signing; nothing is re-signed here), then with `imgcat list --output json`,
and compares the id sets. Exit status: 0 when every SDK listing succeeded and every set matches,
1 otherwise.

The one thing patched in an SDK: qcloudapi-sdk-python 2.0.15 only speaks HTTPS
(`QcloudApi.common.request.ApiRequest` always builds a `MyHTTPSConnection`). The simulator is plain
HTTP, so `MyHTTPSConnection` is replaced by a subclass of `http.client.HTTPConnection` with the same
constructor/`send`/`request` behaviour (see `patch_qcloud_plain_http`). Parameter building,
signing (string to sign with host `127.0.0.1:PORT`), URL encoding and response handling are the
SDK's own. The host comes from the SDK's generic-module `endpoint` config (`QcloudApi.modules.base.Base`
with `endpoint=127.0.0.1:PORT`), which is the SDK's own way to address a host other than
`image.api.qcloud.com`; the `Image` module is that same class with `requestHost` hard-coded.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

PINNED = [
    "huaweicloudsdkcore==3.1.219",
    "huaweicloudsdkims==3.1.219",
    "huaweicloudsdkworkspace==3.1.219",
    "huaweicloudsdkcph==3.1.219",
    "qcloudapi-sdk-python==2.0.15",
    "zenlayercloud-sdk-python==2.0.77",
    "tencentcloud-sdk-python-common==3.1.195",
    "tencentcloud-sdk-python-cvm==3.1.178",
]

HUAWEI_REGION = "cn-north-4"
TENCENT_REGION = "ap-guangzhou"
ZENLAYER_ZONE = "FRA-A"
MAX_PAGES = 10000  # a guard against a server that never stops paging


class CheckError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Huawei (huaweicloudsdkcore + ims / workspace / cph)
# ---------------------------------------------------------------------------------------------
def huawei_client(client_cls, endpoint, region_cls=None, sk=None):
    """A client built the documented way. With `region_cls`, the project id is not given: the
    SDK discovers it through IAM (`HUAWEICLOUD_SDK_IAM_ENDPOINT`) and takes the service endpoint
    from `HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}`, both pointed at the simulator by the caller."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.auth.provider import EnvCredentialProvider
    from huaweicloudsdkcore.http.http_config import HttpConfig

    # The SDK's own environment provider: HUAWEICLOUD_SDK_AK / _SK / _PROJECT_ID.
    credentials = EnvCredentialProvider.get_basic_credential_env_provider().get_credentials()
    if sk is not None:
        credentials.sk = sk
    config = HttpConfig.get_default_config()
    config.timeout = (10, 60)
    builder = client_cls.new_builder().with_http_config(config)
    if region_cls is not None:
        BasicCredentials._CACHE.clear()
        credentials = BasicCredentials(credentials.ak, credentials.sk)
        return builder.with_credentials(credentials).with_region(
            region_cls.value_of(HUAWEI_REGION)).build()
    if not credentials.project_id:
        raise CheckError("HUAWEICLOUD_SDK_PROJECT_ID is not set")
    return builder.with_credentials(credentials).with_endpoint(endpoint).build()


def sdk_huawei_ims(endpoint, trace, iam=False):
    from huaweicloudsdkims.v2 import GlanceListImagesRequest, ImsClient
    from huaweicloudsdkims.v2.region.ims_region import ImsRegion

    client = huawei_client(ImsClient, endpoint, ImsRegion if iam else None)
    if iam:
        trace.append("IAM discovery: X-Project-Id %s" % client._credentials.project_id)
    ids, marker = [], None
    for page in range(MAX_PAGES):
        resp = client.glance_list_images(GlanceListImagesRequest(limit=1000, marker=marker))
        images = resp.images or []
        ids += [i.id for i in images]
        trace.append("GET /v2/images limit=1000 marker=%s -> %d images, next=%s"
                     % (marker, len(images), resp.next))
        if not resp.next:
            return ids, page + 1
        # `next` is relative (/v2/images?limit=1000&marker=ID): take its marker for the next call.
        nxt = parse_qs(urlsplit(resp.next).query).get("marker")
        if not nxt:
            raise CheckError("IMS next link without a marker: %r" % resp.next)
        if nxt[0] == marker:
            raise CheckError("IMS next link repeats marker %s" % marker)
        marker = nxt[0]
    raise CheckError("IMS: more than %d pages" % MAX_PAGES)


def sdk_huawei_workspace(endpoint, trace):
    from huaweicloudsdkworkspace.v2 import ListImagesRequest, WorkspaceClient

    client = huawei_client(WorkspaceClient, endpoint)
    ids, offset, total = [], 0, None
    for page in range(MAX_PAGES):
        resp = client.list_images(ListImagesRequest(limit=100, offset=offset))
        images = resp.images or []
        ids += [i.id for i in images]
        total = resp.total_count
        trace.append("GET /v2/{project}/images limit=100 offset=%d -> %d images, total_count=%s"
                     % (offset, len(images), total))
        offset += len(images)
        if not images or (total is not None and offset >= total):
            if total is not None and len(ids) != total:
                raise CheckError("Workspace: %d images listed, total_count %d" % (len(ids), total))
            return ids, page + 1
    raise CheckError("Workspace: more than %d pages" % MAX_PAGES)


def sdk_huawei_cph(endpoint, trace, limit=None):
    from huaweicloudsdkcph.v1 import CphClient, ListCloudPhoneImagesRequest

    client = huawei_client(CphClient, endpoint)
    ids, pages = [], 0
    for image_type in ("public", "private", "share"):
        marker = None
        for _ in range(MAX_PAGES):
            # Without limit: the seed's one-answer listing; with one, the newer marker/limit
            # paging. Either way, follow page_info.next_marker when one comes.
            resp = client.list_cloud_phone_images(
                ListCloudPhoneImagesRequest(image_type=image_type, marker=marker, limit=limit))
            pages += 1
            images = resp.phone_images or []
            ids += [i.image_id for i in images]
            nxt = resp.page_info.next_marker if resp.page_info else None
            trace.append("GET /v1/{project}/cloud-phone/phone-images image_type=%s limit=%s"
                         " marker=%s -> %d images, next_marker=%s"
                         % (image_type, limit, marker, len(images), nxt))
            if not nxt:
                break
            marker = nxt
        else:
            raise CheckError("CPH: more than %d pages" % MAX_PAGES)
    return ids, pages


# ---------------------------------------------------------------------------------------------
# Tencent legacy API 2.0 (qcloudapi-sdk-python 2.0.15)
# ---------------------------------------------------------------------------------------------
def patch_qcloud_plain_http():
    """The SDK's transport is HTTPS only; swap in plain HTTP with the same interface."""
    from http.client import HTTPConnection

    from QcloudApi.common import request as request_mod

    class MyHTTPConnection(HTTPConnection):
        # Same as QcloudApi.common.request.MyHTTPSConnection, minus TLS and the https proxy.
        def __init__(self, host, port=None):
            self.has_proxy = False
            self.request_host = host
            HTTPConnection.__init__(self, host, port)
            self.request_length = 0

        def send(self, astr):
            HTTPConnection.send(self, astr)
            self.request_length += len(astr)

        def request(self, method, url, body=None, headers={}):
            self.request_length = 0
            HTTPConnection.request(self, method, url, body, headers)

    request_mod.MyHTTPSConnection = MyHTTPConnection


def sdk_tencent_legacy(endpoint, trace, method=None, sign_method=None, key=None):
    from QcloudApi.modules.base import Base

    patch_qcloud_plain_http()
    host = urlsplit(endpoint).netloc
    config = {
        "secretId": os.environ["TENCENTCLOUD_SECRET_ID"],
        "secretKey": key if key is not None else os.environ["TENCENTCLOUD_SECRET_KEY"],
        "Region": TENCENT_REGION,
        "Version": "2017-03-12",
        "endpoint": host,
    }
    # Unless given, the SDK defaults: method GET, SignatureMethod HmacSHA1.
    if method:
        config["method"] = method
    if sign_method:
        config["SignatureMethod"] = sign_method
    service = Base(config)
    ids, offset, total = [], 0, None
    for page in range(MAX_PAGES):
        raw = service.call("DescribeImages", {"Offset": offset, "Limit": 100})
        try:
            doc = json.loads(raw)
        except ValueError:
            raise CheckError("Tencent: unreadable answer %r" % raw[:300])
        resp = doc.get("Response")
        if resp is None or "Error" in resp:
            raise CheckError("Tencent: API error %s" % json.dumps(doc)[:500])
        images = resp.get("ImageSet") or []
        total = resp.get("TotalCount")
        ids += [i["ImageId"] for i in images]
        trace.append("%s /v2/index.php Action=DescribeImages %s Offset=%d Limit=100 -> %d images,"
                     " TotalCount=%s" % (service.method, service.sign_method, offset, len(images),
                                         total))
        offset += len(images)
        if not images or (total is not None and offset >= total):
            if total is not None and len(ids) != total:
                raise CheckError("Tencent: %d images listed, TotalCount %d" % (len(ids), total))
            return ids, page + 1
    raise CheckError("Tencent: more than %d pages" % MAX_PAGES)


# ---------------------------------------------------------------------------------------------
# Tencent API 3.0 (tencentcloud-sdk-python-cvm 3.1.178)
# ---------------------------------------------------------------------------------------------
def sdk_tencent(endpoint, trace, key=None, token=None):
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client, models

    parts = urlsplit(endpoint)
    http = HttpProfile(endpoint=parts.netloc, protocol=parts.scheme, reqTimeout=60)
    if hasattr(http, "scheme"):
        http.scheme = parts.scheme
    cred = Credential(os.environ["TENCENTCLOUD_SECRET_ID"],
                      key if key is not None else os.environ["TENCENTCLOUD_SECRET_KEY"], token)
    client = cvm_client.CvmClient(cred, TENCENT_REGION, ClientProfile(httpProfile=http))
    ids, offset, total = [], 0, None
    for page in range(MAX_PAGES):
        req = models.DescribeImagesRequest()
        req.Offset = offset
        req.Limit = 100
        resp = client.DescribeImages(req)
        images = resp.ImageSet or []
        total = resp.TotalCount
        ids += [i.ImageId for i in images]
        trace.append("POST / X-TC-Action: DescribeImages Offset=%d Limit=100 -> %d images,"
                     " TotalCount=%s" % (offset, len(images), total))
        offset += len(images)
        if not images or (total is not None and offset >= total):
            if total is not None and len(ids) != total:
                raise CheckError("Tencent 3.0: %d images listed, TotalCount %d" % (len(ids), total))
            return ids, page + 1
    raise CheckError("Tencent 3.0: more than %d pages" % MAX_PAGES)


# ---------------------------------------------------------------------------------------------
# Zenlayer (zenlayercloud-sdk-python 2.0.77)
# ---------------------------------------------------------------------------------------------
def sdk_zenlayer(endpoint, trace, password=None):
    from zenlayercloud.common.config import Config
    from zenlayercloud.common.credential import Credential
    from zenlayercloud.vm.v20230313 import models
    from zenlayercloud.vm.v20230313.vm_client import VmClient

    parts = urlsplit(endpoint)
    if password is None:
        password = os.environ["ZENLAYERCLOUD_ACCESS_KEY_PASSWORD"]
    client = VmClient(Credential(os.environ["ZENLAYERCLOUD_ACCESS_KEY_ID"], password),
                      Config(domain=parts.netloc, scheme=parts.scheme, request_timeout=60,
                             rate_limit_max_retries=0))
    ids, page_num, total = [], 1, None
    for page in range(MAX_PAGES):
        req = models.DescribeImagesRequest()
        req.zoneId = ZENLAYER_ZONE
        req.pageNum = page_num
        req.pageSize = 1000
        resp = client.DescribeImages(req)
        images = resp.dataSet or []
        total = resp.totalCount
        ids += [i.imageId for i in images]
        trace.append("POST /api/v2/vm DescribeImages zoneId=%s pageNum=%d pageSize=1000 -> %d"
                     " images, totalCount=%s" % (ZENLAYER_ZONE, page_num, len(images), total))
        page_num += 1
        if not images or (total is not None and len(ids) >= total):
            if total is not None and len(ids) != total:
                raise CheckError("Zenlayer: %d images listed, totalCount %d" % (len(ids), total))
            return ids, page + 1
    raise CheckError("Zenlayer: more than %d pages" % MAX_PAGES)


# ---------------------------------------------------------------------------------------------
def iam_env(endpoint):
    """No project id: the SDK and imgcat both ask the simulator's IAM (GET /v3/projects)."""
    return {"HUAWEICLOUD_SDK_PROJECT_ID": None, "HUAWEICLOUD_SDK_IAM_ENDPOINT": endpoint,
            "HUAWEICLOUD_SDK_REGION_IMS_CN_NORTH_4": endpoint,
            "IMGCAT_ENDPOINT_HUAWEI_IMS": endpoint}


# (row label, imgcat provider id, region, SDK lister, extra environment for both, imgcat --endpoint)
# The first five rows are the acceptance check; the others run the SDKs' other modes against the
# same simulator (another signature method / HTTP method, the newer CPH paging, IAM discovery).
ROWS = [
    ("huawei-ims", "huawei-ims", HUAWEI_REGION, sdk_huawei_ims, None, True),
    ("huawei-workspace", "huawei-workspace", HUAWEI_REGION, sdk_huawei_workspace, None, True),
    ("huawei-cph", "huawei-cph", HUAWEI_REGION, sdk_huawei_cph, None, True),
    ("tencent", "tencent", TENCENT_REGION, sdk_tencent, None, True),
    ("tencent-legacy", "tencent-legacy", TENCENT_REGION, sdk_tencent_legacy, None, True),
    ("zenlayer", "zenlayer", ZENLAYER_ZONE, sdk_zenlayer, None, True),
    ("huawei-ims, IAM project discovery", "huawei-ims", HUAWEI_REGION,
     lambda e, t: sdk_huawei_ims(e, t, iam=True), iam_env, False),
    ("huawei-cph, limit=100 + marker", "huawei-cph", HUAWEI_REGION,
     lambda e, t: sdk_huawei_cph(e, t, limit=100), None, True),
    ("tencent-legacy, GET HmacSHA256", "tencent-legacy", TENCENT_REGION,
     lambda e, t: sdk_tencent_legacy(e, t, sign_method="HmacSHA256"), None, True),
    ("tencent-legacy, POST HmacSHA256", "tencent-legacy", TENCENT_REGION,
     lambda e, t: sdk_tencent_legacy(e, t, method="POST", sign_method="HmacSHA256"), None, True),
]

# Negative controls: the same SDK calls with a wrong secret must be refused by the simulator
# (otherwise an "equal" above would prove nothing about signing).
WRONG = "wrong-secret-0000000000000000000000"


def neg_huawei(endpoint):
    from huaweicloudsdkims.v2 import GlanceListImagesRequest, ImsClient

    huawei_client(ImsClient, endpoint, sk=WRONG).glance_list_images(GlanceListImagesRequest(limit=1))


def neg_tencent(endpoint):
    sdk_tencent_legacy(endpoint, [], key=WRONG)


def neg_tencent_api3(endpoint):
    sdk_tencent(endpoint, [], key=WRONG)


def neg_zenlayer(endpoint):
    sdk_zenlayer(endpoint, [], password=WRONG)


NEGATIVE = [("huawei (IMS)", neg_huawei), ("tencent", neg_tencent_api3),
            ("tencent-legacy", neg_tencent),
            ("zenlayer", neg_zenlayer)]


class scoped_env:
    def __init__(self, changes):
        self.changes, self.saved = changes or {}, {}

    def __enter__(self):
        for k, v in self.changes.items():
            self.saved[k] = os.environ.get(k)
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def __exit__(self, *exc):
        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_imgcat(imgcat, provider, region, endpoint):
    # --include-deprecated: the SDKs list every image; imgcat leaves deprecated ones out by default.
    cmd = [imgcat, "list", "--provider", provider, "--region", region, "--include-deprecated",
           "--output", "json"]
    if endpoint:
        cmd += ["--endpoint", endpoint]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        raise CheckError("imgcat exit %d: %s" % (proc.returncode, proc.stderr.strip()[-800:]))
    rows = json.loads(proc.stdout)
    return [r["id"] for r in rows], wall


def describe_diff(sdk_ids, cat_ids):
    a, b = set(sdk_ids), set(cat_ids)
    out = []
    if a - b:
        out.append("only SDK (%d): %s" % (len(a - b), sorted(a - b)[:5]))
    if b - a:
        out.append("only imgcat (%d): %s" % (len(b - a), sorted(b - a)[:5]))
    if len(sdk_ids) != len(a):
        out.append("SDK listed %d duplicate ids" % (len(sdk_ids) - len(a)))
    if len(cat_ids) != len(b):
        out.append("imgcat listed %d duplicate ids" % (len(cat_ids) - len(b)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--endpoint", required=True, help="simulator base URL, http://127.0.0.1:PORT")
    ap.add_argument("--imgcat", required=True, help="path of the imgcat binary")
    ap.add_argument("--only", action="append", help="restrict to these provider ids")
    ap.add_argument("--trace", action="store_true", help="print every SDK page request")
    ap.add_argument("--markdown", help="also write the table as markdown to this file")
    args = ap.parse_args()

    from importlib.metadata import version
    print("SDKs: " + ", ".join("%s==%s" % (d.split("==")[0], version(d.split("==")[0]))
                               for d in PINNED), file=sys.stderr)

    known = sorted({r[1] for r in ROWS})
    if args.only and not set(args.only) <= set(known):
        ap.error("--only takes %s" % ", ".join(known))
    rows, failures = [], []
    for label, provider, region, lister, env, pass_endpoint in ROWS:
        if args.only and provider not in args.only:
            continue
        trace = []
        row = {"provider": label, "sdk": "-", "imgcat": "-", "equal": "no", "sdk_s": "-",
               "imgcat_s": "-", "pages": "-"}
        sdk_ids = cat_ids = None
        with scoped_env(env(args.endpoint) if env else None):
            t0 = time.monotonic()
            try:
                sdk_ids, pages = lister(args.endpoint, trace)
                row.update(sdk=str(len(sdk_ids)), pages=str(pages),
                           sdk_s="%.2f" % (time.monotonic() - t0))
            except Exception as e:  # SDK exceptions have no common base class
                failures.append("%s: SDK call failed: %s: %s" % (label, type(e).__name__, e))
                if trace:
                    failures.append("  last SDK request: " + trace[-1])
            if args.trace:
                for line in trace:
                    print("  [%s] %s" % (label, line), file=sys.stderr)
            try:
                cat_ids, wall = run_imgcat(args.imgcat, provider, region,
                                           args.endpoint if pass_endpoint else None)
                row.update(imgcat=str(len(cat_ids)), imgcat_s="%.2f" % wall)
            except Exception as e:
                failures.append("%s: imgcat failed: %s" % (label, e))
        if sdk_ids is not None and cat_ids is not None:
            diff = describe_diff(sdk_ids, cat_ids)
            if set(sdk_ids) == set(cat_ids) and not diff:
                row["equal"] = "yes"
            else:
                failures.append("%s: id sets differ: %s" % (label, "; ".join(diff)))
        rows.append(row)

    cols = [("provider", "provider"), ("sdk", "SDK ids"), ("pages", "SDK requests"),
            ("imgcat", "imgcat ids"), ("equal", "equal"), ("sdk_s", "SDK s"),
            ("imgcat_s", "imgcat s")]
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in cols]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths))  # noqa: E731
    print(line([h for _, h in cols]))
    print(line(["-" * w for w in widths]))
    for r in rows:
        print(line([r[k] for k, _ in cols]))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("| " + " | ".join(h for _, h in cols) + " |\n")
            f.write("|" + "---|" * len(cols) + "\n")
            for r in rows:
                f.write("| " + " | ".join(r[k] for k, _ in cols) + " |\n")
    if not args.only:
        print()
        for label, call in NEGATIVE:
            try:
                call(args.endpoint)
            except Exception as e:
                print("negative control, %s with a wrong secret: refused (%s: %s)"
                      % (label, type(e).__name__, str(e).replace("\n", " ")[:160]))
            else:
                failures.append("%s: a request signed with a wrong secret was accepted" % label)
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print("result: %s" % ("FAIL" if failures else "OK: every SDK listed, every id set equal"),
          file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
