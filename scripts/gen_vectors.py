#!/usr/bin/env python3
"""Generate signing test vectors with the providers' official Python SDKs.

Usage:  python3 scripts/gen_vectors.py            (creates/reuses a venv, then writes the fixtures)
        VECTORS_VENV=/tmp/v python3 scripts/gen_vectors.py

The script re-executes itself inside a throwaway virtualenv (default `.venv-vectors/`, gitignored)
where it pip-installs the pinned SDKs below. It then drives **the SDKs' own signing code** with fixed
credentials, times and nonces (by monkeypatching the clock and spying on the signer's intermediate
strings; nothing is re-implemented here) and writes:

  tests/fixtures/huawei_vectors.json      huaweicloudsdkcore Signer (SDK-HMAC-SHA256)
  tests/fixtures/tencent_v2_vectors.json  qcloudapi-sdk-python 2.0.15 (API 2.0 query signature)
  tests/fixtures/zenlayer_vectors.json    zenlayercloud-sdk-python (ZC2-HMAC-SHA256)
  tests/fixtures/tc3_vectors.json         tencentcloud-sdk-python-cvm (API 3.0 TC3-HMAC-SHA256)

No network access is made apart from pip: HTTP sends are intercepted and answered with canned JSON.
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
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

# Fixed inputs shared by all cases.
HW_AK = "HPUAVECTORSAK0000001"
HW_SK = "vectorsSecretKey/With+Chars=0123456789abcdef"
HW_TIME = "20240102T030405Z"
HW_TIME_ISO = "2024-01-02T03:04:05Z"
HW_PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
HW_TOKEN = "gQpjbi1ub3J0aC00+/temporary/SecurityToken==" + "x" * 40
TC_ID = "AKIDvectors0000000000000000000000001"
TC_KEY = "vectorsTencentSecretKey0000000001"
TC_TOKEN = "tmpToken/with+chars=and~more"
TC_NONCE = 11886
TC_TIME = 1704164645
ZL_ID = "zl-vectors-access-key-id"
ZL_PASSWORD = "zl-vectors-password/+="
ZL_TIME = 1704164645
TC3_TIME = 1704164645
TC3_TIME_LATE = 1704153599  # 2024-01-01T23:59:59Z: the scope's date is the UTC day


# ---------------------------------------------------------------------------------------------
# bootstrap: run inside a venv that has the SDKs
# ---------------------------------------------------------------------------------------------
def in_venv_with_sdks():
    try:
        import huaweicloudsdkcore  # noqa: F401
        import QcloudApi  # noqa: F401
        import zenlayercloud  # noqa: F401
        from tencentcloud.cvm.v20170312 import cvm_client  # noqa: F401
        return True
    except ImportError:
        return False


def bootstrap():
    venv = os.environ.get("VECTORS_VENV", os.path.join(ROOT, ".venv-vectors"))
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    subprocess.check_call([py, "-m", "pip", "install", "-q", *PINNED])
    os.execv(py, [py, os.path.abspath(__file__), "--in-venv"])


# ---------------------------------------------------------------------------------------------
# Huawei: huaweicloudsdkcore
# ---------------------------------------------------------------------------------------------
class HuaweiRig:
    """Fixes the signer's clock and records the canonical request / string to sign it builds."""

    def __init__(self):
        import datetime as dt

        from huaweicloudsdkcore.signer import signer as signer_mod

        fixed = dt.datetime.strptime(HW_TIME, "%Y%m%dT%H%M%SZ")

        class FixedDatetime(dt.datetime):
            @classmethod
            def utcnow(cls):
                return fixed

        signer_mod.datetime = FixedDatetime
        self.records = []
        signer_cls = signer_mod.Signer
        orig_cr = signer_cls._process_canonical_request
        orig_sts = signer_cls._process_string_to_sign
        rig = self

        def spy_cr(self, request, signed_headers):
            out = orig_cr(self, request, signed_headers)
            rig.records.append(("canonical_request", out))
            return out

        def spy_sts(self, canonical_request, time):
            out = orig_sts(self, canonical_request, time)
            rig.records.append(("string_to_sign", out))
            return out

        signer_cls._process_canonical_request = spy_cr
        signer_cls._process_string_to_sign = spy_sts

    def take(self, kind):
        values = [v for k, v in self.records if k == kind]
        return values[-1] if values else None

    def case(self, name, note, request, ak=HW_AK, sk=HW_SK):
        """Builds a fixture case from an SdkRequest the SDK has just signed."""
        sent = dict(request.header_params)
        excluded = {"host", "x-sdk-date", "authorization"}
        headers = [[k, latin1_to_str(v)] for k, v in sent.items() if k.lower() not in excluded]
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        return {
            "name": name,
            "note": note,
            "method": request.method,
            "url": request.url,
            "headers": headers,
            "body": body or "",
            "ak": ak,
            "sk": sk,
            "time": HW_TIME_ISO,
            "sent_headers": {k: latin1_to_str(v) for k, v in sent.items()},
            "expected": {
                "x_sdk_date": sent["X-Sdk-Date"],
                "host": sent.get("Host"),
                "authorization": sent["Authorization"],
                "canonical_request": self.take("canonical_request"),
                "string_to_sign": self.take("string_to_sign"),
            },
        }


def latin1_to_str(v):
    """The signer re-encodes header values as UTF-8 bytes held in a latin-1 str; undo that."""
    try:
        return v.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return v


def huawei_signer_cases(rig):
    """Cases that call huaweicloudsdkcore's Signer directly on an SdkRequest."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    def run(name, note, method="GET", schema="https", host="ims.cn-north-4.myhuaweicloud.com",
            path="/v2/images", query=None, headers=None, body="", ak=HW_AK, sk=HW_SK):
        req = SdkRequest(method=method, schema=schema, host=host, resource_path=path,
                         query_params=list(query or []),
                         header_params=dict(headers or {"Content-Type": "application/json"}),
                         body=body)
        Signer(BasicCredentials(ak, sk)).sign(req)
        return rig.case(name, note, req, ak, sk)

    json_ct = {"Content-Type": "application/json"}
    with_project = {"Content-Type": "application/json", "X-Project-Id": HW_PROJECT}
    return [
        run("signer_simple_query", "plain GET with two query params",
            query=[("limit", "2"), ("visibility", "public")], headers=with_project),
        run("signer_absent_query", "no query at all; path without trailing slash gets one",
            query=[], headers=json_ct),
        run("signer_empty_query_value", "a parameter with an empty value",
            query=[("marker", ""), ("limit", "25")], headers=json_ct),
        run("signer_path_trailing_slash", "path already ending with /",
            path="/v2/images/", query=[("limit", "1")], headers=json_ct),
        run("signer_hard_chars",
            "space, : = + / ~ * ! ' ( ) and non-ASCII in names and values",
            query=[("name", "测试 镜像"), ("a:b", "x=y+z/w~v*u"), (" sp ace", "!'()*"),
                   ("tilde~key", "~"), ("created_at", "gt:2018-10-28T10:00:00Z")],
            headers=with_project),
        run("signer_repeated_keys", "repeated keys are sorted by value; raw (not encoded) order",
            query=[("tag", "b"), ("tag", "a"), ("k", "a/b"), ("k", "a-b"), ("a", "2"), ("a", "10")],
            headers=json_ct),
        run("signer_list_value", "a list value (SDK sorts the values)",
            query=[("ids", ["z9", "a1", "m5"])], headers=json_ct),
        run("signer_ims_filters", "IMS double-underscore filters",
            query=[("__imagetype", "gold"), ("__os_type", "Linux"), ("__support_arm", "true"),
                   ("__platform", "Ubuntu"), ("status", "active")],
            headers=with_project),
        run("signer_port_host", "http endpoint with a port: Host keeps the port",
            schema="http", host="127.0.0.1:8080", query=[("limit", "5")], headers=with_project),
        run("signer_security_token", "temporary AK/SK: X-Security-Token signed like any header",
            query=[("limit", "5")],
            headers={"Content-Type": "application/json", "X-Project-Id": HW_PROJECT,
                     "X-Security-Token": HW_TOKEN}),
        run("signer_header_edge_cases",
            "mixed-case names, padded values (trimmed), a name with _ (sent, not signed)",
            query=[("limit", "5")],
            headers={"Content-Type": "application/json", "X-Custom-Header": "  padded value  ",
                     "x_underscore": "not signed", "X-Project-Id": HW_PROJECT}),
        run("signer_path_encoding", "path with an encoded space and an encoded slash",
            path="/v2/images/a%20b%2Fc", query=[], headers=json_ct),
        run("signer_post_json_body", "POST with a JSON body holding non-ASCII text",
            method="POST", path="/v2/cloudimages/action",
            body=json.dumps({"name": "测试 镜像", "os_version": "Ubuntu 22.04 server 64bit"},
                            ensure_ascii=False),
            query=[], headers={"Content-Type": "application/json;charset=UTF-8",
                               "X-Project-Id": HW_PROJECT}),
        run("signer_unsigned_payload",
            "non-JSON content type: SDK adds X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD",
            method="PUT", path="/v1/cloudimages/abc/file", body="raw bytes",
            query=[], headers={"Content-Type": "application/octet-stream"}),
    ]


class FakeHttp:
    """Replaces HttpClient.do_request_sync: records the signed request, answers canned JSON."""

    def __init__(self):
        import requests

        from huaweicloudsdkcore.http.http_client import HttpClient

        self.sent = []
        fake = self

        def do_request_sync(self, request):
            fake.sent.append(request)
            resp = requests.Response()
            resp.status_code = 200
            resp.headers["Content-Type"] = "application/json"
            resp.encoding = "utf-8"
            if request.resource_path == "/v3/projects":
                resp._content = json.dumps(
                    {"projects": [{"id": HW_PROJECT, "name": "cn-north-4"}]}).encode()
            else:
                resp._content = b"{}"
            return resp

        HttpClient.do_request_sync = do_request_sync


def huawei_client_cases(rig):
    """Cases that go through the whole service client, as an application would call it."""
    from huaweicloudsdkcore.auth import internal
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkcph.v1 import CphClient, ListCloudPhoneImagesRequest
    from huaweicloudsdkims.v2 import GlanceListImagesRequest, ImsClient
    from huaweicloudsdkims.v2.region.ims_region import ImsRegion
    from huaweicloudsdkworkspace.v2 import ListImagesRequest as WsListImagesRequest
    from huaweicloudsdkworkspace.v2 import WorkspaceClient

    # The real User-Agent embeds OS/Python versions and a random per-home app id: pin it.
    internal.user_agent_string = "imgcat-vectors-iam"
    http = FakeHttp()

    def config():
        c = HttpConfig.get_default_config()
        c.user_agent = "imgcat-vectors"
        return c

    def creds(token=None, project=HW_PROJECT):
        c = BasicCredentials(HW_AK, HW_SK, project)
        if token:
            c.with_security_token(token)
        return c

    def build(client_cls, endpoint=None, region=None, credentials=None):
        b = client_cls.new_builder().with_credentials(credentials or creds()).with_http_config(config())
        if endpoint:
            b = b.with_endpoint(endpoint)
        if region:
            b = b.with_region(region)
        return b.build()

    cases = []

    def last(name, note):
        cases.append(rig.case(name, note, http.sent[-1]))

    ims = build(ImsClient, "https://ims.cn-north-4.myhuaweicloud.com")
    ims.glance_list_images(GlanceListImagesRequest(
        limit=2, visibility="public", imagetype="gold", name="测试 镜像",
        created_at="gt:2018-10-28T10:00:00Z", sort_key="name", sort_dir="asc"))
    last("client_ims_glance_list_images", "ImsClient.glance_list_images, AK/SK + project id")

    ims.glance_list_images(GlanceListImagesRequest())
    last("client_ims_no_query", "ImsClient.glance_list_images with no filters")

    ims_port = build(ImsClient, "http://127.0.0.1:8080")
    ims_port.glance_list_images(GlanceListImagesRequest(limit=1, marker="img-0001"))
    last("client_ims_port", "endpoint http://127.0.0.1:8080")

    ims_tmp = build(ImsClient, "https://ims.cn-north-4.myhuaweicloud.com", credentials=creds(HW_TOKEN))
    ims_tmp.glance_list_images(GlanceListImagesRequest(limit=3))
    last("client_ims_security_token", "temporary credentials")

    ws = build(WorkspaceClient, "https://workspace.cn-north-4.myhuaweicloud.com")
    ws.list_images(WsListImagesRequest(image_type="gold", os_type="Windows", limit=100, offset=0))
    last("client_workspace_list_images", "WorkspaceClient.list_images ({project_id} in path)")

    cph = build(CphClient, "https://cph.cn-north-4.myhuaweicloud.com")
    cph.list_cloud_phone_images(ListCloudPhoneImagesRequest(image_type="public", limit=50))
    last("client_cph_list_phone_images", "CphClient.list_cloud_phone_images")

    # No project id: the builder asks IAM (GET /v3/projects?name={region}) before the first call.
    BasicCredentials._CACHE.clear()
    before = len(http.sent)
    ims_region = build(ImsClient, region=ImsRegion.value_of("cn-north-4"),
                       credentials=BasicCredentials(HW_AK, HW_SK))
    iam_request = http.sent[before]
    cases.append(rig.case("client_iam_list_projects",
                          "project discovery request made by BasicCredentials.process_auth_params",
                          iam_request))
    ims_region.glance_list_images(GlanceListImagesRequest(limit=1))
    last("client_ims_after_iam", "first call after discovery: X-Project-Id from IAM")
    return cases


# ---------------------------------------------------------------------------------------------
# Tencent: qcloudapi-sdk-python 2.0.15
# ---------------------------------------------------------------------------------------------
class TencentRig:
    """Records the message QcloudApi's Sign.make passes to HMAC."""

    def __init__(self):
        import hmac as real_hmac

        from QcloudApi.common import sign as sign_mod

        rig = self
        self.messages = []

        class HmacSpy:
            @staticmethod
            def new(key, msg, digestmod):
                rig.messages.append(msg.decode("utf-8"))
                return real_hmac.new(key, msg, digestmod)

        sign_mod.hmac = HmacSpy


def tencent_cases():
    from urllib.parse import parse_qsl, urlsplit

    from QcloudApi.common.request import RequestInternal
    from QcloudApi.modules.base import Base
    from QcloudApi.modules.image import Image

    rig = TencentRig()

    def run(name, note, params, method="GET", sign_method=None, token="", host=None,
            fixed_nonce=True):
        config = {"secretId": TC_ID, "secretKey": TC_KEY, "Region": "ap-guangzhou",
                  "method": method, "Token": token}
        if sign_method:
            config["SignatureMethod"] = sign_method
        if host:
            config["endpoint"] = host
            service = Base(config)
        else:
            service = Image(config)
        given = dict(params)
        if fixed_nonce:
            given.setdefault("Nonce", TC_NONCE)
            given.setdefault("Timestamp", TC_TIME)
        req = RequestInternal(service.requestHost, service.method, service.requestUri)
        service._build_req_inter("DescribeImages", given, req)
        # req.data is urlencode(params) - the wire form (query for GET, body for POST).
        pairs = parse_qsl(req.data, keep_blank_values=True)
        signature = dict(pairs)["Signature"]
        unsigned = [[k, v] for k, v in pairs if k != "Signature"]
        wire_url = "https://%s%s" % (req.host, req.uri) + ("?" + req.data if method == "GET" else "")
        return {
            "name": name,
            "note": note,
            "http_method": method,
            "host": req.host,
            "path": req.uri,
            "params": unsigned,
            "secret_id": TC_ID,
            "secret_key": TC_KEY,
            "signature_method": dict(pairs).get("SignatureMethod", "HmacSHA1"),
            "wire": {"url": wire_url, "body": req.data if method == "POST" else None,
                     "headers": req.header},
            "expected": {"signature": signature, "string_to_sign": rig.messages[-1]},
        }

    cases = [
        run("describe_images_default", "SDK defaults: GET, HmacSHA1", {"Version": "2017-03-12"}),
        run("describe_images_sha256", "HmacSHA256, Offset/Limit",
            {"Version": "2017-03-12", "Offset": 0, "Limit": 100}, sign_method="HmacSHA256"),
        run("filters_array", "Filters.0.Values.0 via the SDK's nested-dict flattening",
            {"Version": "2017-03-12",
             "Filters": [{"Name": "image-type", "Values": ["PUBLIC_IMAGE", "SHARED_IMAGE"]},
                         {"Name": "image-name", "Values": ["测试 镜像"]}]},
            sign_method="HmacSHA256"),
        run("image_ids_array", "ImageIds.N", {"Version": "2017-03-12",
                                             "ImageIds": ["img-aaa", "img-bbb"]}),
        run("underscore_names", "'_' in a name is signed as '.' but sent as '_'",
            {"Version": "2017-03-12", "Filters_0_Name": "image-id", "Filters_0_Values_0": "img-x",
             "Odd_Name": "v"}, sign_method="HmacSHA256"),
        run("hard_values", "values with space : = + / ~ * & and non-ASCII (signed raw)",
            {"Version": "2017-03-12", "Filters.0.Name": "image-name",
             "Filters.0.Values.0": "a b:c=d+e/f~g*h&i 测试"}, sign_method="HmacSHA256"),
        run("empty_value", "a parameter with an empty value", {"Version": "2017-03-12",
                                                               "ImageName": ""}),
        run("temporary_token", "temporary credentials: the Token parameter",
            {"Version": "2017-03-12"}, token=TC_TOKEN, sign_method="HmacSHA256"),
        run("post_sha1", "POST: same signature scheme with 'POST' in the string to sign",
            {"Version": "2017-03-12", "Limit": 20}, method="POST"),
        run("post_at_value_skipped", "POST: a value starting with '@' is left out of the signature",
            {"Version": "2017-03-12", "ImageName": "@file"}, method="POST",
            sign_method="HmacSHA256"),
        run("get_at_value_signed", "GET: a value starting with '@' is signed",
            {"Version": "2017-03-12", "ImageName": "@file"}, sign_method="HmacSHA256"),
        run("port_host", "an endpoint with a port: host:port in the string to sign",
            {"Version": "2017-03-12"}, host="127.0.0.1:8080", sign_method="HmacSHA256"),
        run("large_nonce", "a Nonce near sys.maxsize (SDK range 1..2^63-1)",
            {"Version": "2017-03-12", "Nonce": 9223372036854775807}),
    ]
    for case in cases:
        # The wire form (urlencode) must decode back to exactly the params that were signed.
        query = urlsplit(case["wire"]["url"]).query or case["wire"]["body"]
        assert [k for k, _ in parse_qsl(query, keep_blank_values=True) if k != "Signature"] == [k for k, _ in case["params"]]
    return cases


# ---------------------------------------------------------------------------------------------
# Zenlayer: zenlayercloud-sdk-python
# ---------------------------------------------------------------------------------------------
def zenlayer_cases():
    from zenlayercloud.common import abstract_client as ac
    from zenlayercloud.common.config import Config
    from zenlayercloud.common.credential import Credential, TokenCredential
    from zenlayercloud.common.response import BaseResponse
    from zenlayercloud.vm.v20230313 import models
    from zenlayercloud.vm.v20230313.vm_client import VmClient

    spy = {"sha": [], "hmac": []}
    real_sha, real_hmac = ac.sha256hex, ac.hmac_sha256

    def sha_spy(s):
        spy["sha"].append(s)
        return real_sha(s)

    def hmac_spy(key, msg):
        spy["hmac"].append(msg)
        return real_hmac(key, msg)

    ac.sha256hex, ac.hmac_sha256 = sha_spy, hmac_spy
    ac.time.time = lambda: ZL_TIME + 0.75  # the SDK truncates with int()
    sent = []

    def fake_send(self, req):
        sent.append(req)
        return BaseResponse(status=200, header={}, data='{"requestId":"r","response":{}}')

    ac.AbstractClient._send_request = fake_send

    def run(name, note, action, request, domain=None, scheme=None, credential=None):
        spy["sha"].clear()
        spy["hmac"].clear()
        cfg = Config(domain=domain, scheme=scheme)
        client = VmClient(credential or Credential(ZL_ID, ZL_PASSWORD), cfg)
        getattr(client, action)(request)
        req = sent[-1]
        case = {
            "name": name,
            "note": note,
            "action": action,
            "url": "%s://%s%s" % (cfg.scheme, cfg.domain, req.uri),
            "host": req.header["host"],
            "body": req.data,
            "access_key_id": ZL_ID,
            "access_key_password": ZL_PASSWORD,
            "timestamp": ZL_TIME,
            "sent_headers": dict(req.header),
            "expected": {"authorization": req.header["Authorization"],
                         "timestamp": req.header.get("x-zc-timestamp"),
                         "signature_method": req.header.get("x-zc-signature-method")},
        }
        if len(spy["sha"]) == 2:
            case["expected"]["canonical_request"] = spy["sha"][1]
            case["expected"]["string_to_sign"] = spy["hmac"][0]
        return case

    def images(**kw):
        r = models.DescribeImagesRequest()
        for k, v in kw.items():
            setattr(r, k, v)
        return r

    return [
        run("describe_images_fra", "seed example", "DescribeImages",
            images(zoneId="FRA-A", osType="linux", pageSize=3)),
        run("describe_images_non_ascii", "non-ASCII name: json.dumps escapes it as \\uXXXX",
            "DescribeImages", images(zoneId="FRA-A", imageName="测试 镜像", pageNum=2,
                                     pageSize=1000, imageIds=["img-a", "img-b"])),
        run("describe_zones_empty", "DescribeZones with an empty request body {}",
            "DescribeZones", models.DescribeZonesRequest()),
        run("port_host", "domain with a port: host header and signature use host:port",
            "DescribeImages", images(zoneId="FRA-A"), domain="127.0.0.1:8080", scheme="http"),
        run("bearer_token", "TokenCredential: Authorization: Bearer, no signature headers",
            "DescribeImages", images(zoneId="FRA-A"), credential=TokenCredential("zl-token-123")),
    ]


# ---------------------------------------------------------------------------------------------
# Tencent API 3.0: tencentcloud-sdk-python-cvm (TC3-HMAC-SHA256)
# ---------------------------------------------------------------------------------------------
def tc3_cases():
    """Drives CvmClient.DescribeImages / DescribeRegions through the SDK's own request building and
    TC3 signing (abstract_client._build_req_with_tc3_signature); the send is intercepted."""
    import hashlib
    import types

    from tencentcloud.common import abstract_client as ac
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.http.request import ApiRequest
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.cvm.v20170312 import cvm_client, models

    # The SDK hashes twice per request: the payload, then the canonical request. Record both.
    hashed = []
    real_sha256 = hashlib.sha256

    def sha256_spy(data=b""):
        hashed.append(data)
        return real_sha256(data)

    ac.hashlib = types.SimpleNamespace(sha256=sha256_spy)
    signed = []
    real_sign_tc3 = ac.Sign.sign_tc3

    def sign_tc3_spy(secret_key, date, service, str2sign):
        signed.append(str2sign)
        return real_sign_tc3(secret_key, date, service, str2sign)

    ac.Sign.sign_tc3 = staticmethod(sign_tc3_spy)
    now = {"t": TC3_TIME}
    ac.time.time = lambda: now["t"] + 0.75  # the SDK truncates with int()
    sent = []

    class FakeResponse:
        status_code = 200
        headers = {"Content-Type": "application/json"}
        content = json.dumps({"Response": {"TotalCount": 0, "ImageSet": [], "RegionSet": [],
                                           "RequestId": "r"}})

    def send_request(self, req):
        sent.append(req)
        return FakeResponse()

    ApiRequest.send_request = send_request
    # Headers the SDK adds that carry no request content and are not signed.
    unsigned_extras = {"X-TC-TraceId", "X-TC-RequestClient", "X-TC-Language"}

    def run(name, note, action, params, region="ap-guangzhou", endpoint=None, scheme=None,
            token=None, t=TC3_TIME):
        hashed.clear()
        signed.clear()
        now["t"] = t
        http = HttpProfile()
        if endpoint:
            http.endpoint = endpoint
        if scheme:
            http.scheme = scheme
        client = cvm_client.CvmClient(Credential(TC_ID, TC_KEY, token), region,
                                      ClientProfile(httpProfile=http))
        request = getattr(models, action + "Request")()
        request.from_json_string(json.dumps(params))
        getattr(client, action)(request)
        req = sent[-1]
        body = req.data
        headers = {k: v for k, v in req.header.items() if k not in unsigned_extras}
        assert len(hashed) == 2 and len(signed) == 1, (len(hashed), len(signed))
        return {
            "name": name,
            "note": note,
            "action": action,
            "version": client._apiVersion,
            "service": client._service,
            "region": region or None,
            "method": req.method,
            "url": "%s://%s%s" % (http.scheme, req.host, req.uri),
            "host": req.header["Host"],
            "content_type": req.header["Content-Type"],
            # The request model serialized as the SDK sends it (`request._serialize()`).
            "params": request._serialize(),
            "body": body,
            "secret_id": TC_ID,
            "secret_key": TC_KEY,
            "token": token,
            "timestamp": t,
            "sent_headers": headers,
            "expected": {
                "authorization": req.header["Authorization"],
                "timestamp": req.header["X-TC-Timestamp"],
                "canonical_request": hashed[1].decode("utf-8"),
                "string_to_sign": signed[0],
            },
        }

    name_filter = {"Name": "image-name", "Values": ["Ubuntu 22.04 测试 x"]}
    return [
        run("describe_images_non_ascii_name",
            "image-name with spaces and non-ASCII: json.dumps escapes it as \\uXXXX",
            "DescribeImages",
            {"Filters": [name_filter, {"Name": "image-type", "Values": ["PUBLIC_IMAGE"]}],
             "Offset": 0, "Limit": 100}),
        run("describe_images_hard_chars", "quote, backslash, tab, + / = : & ~ and an emoji",
            "DescribeImages",
            {"Filters": [{"Name": "image-name",
                          "Values": ["a b:c=d+e/f~g*h&i \"q\" \\ \t 😀"]}],
             "Offset": 100, "Limit": 100}),
        run("describe_images_session_token", "temporary credentials: X-TC-Token (not signed)",
            "DescribeImages", {"Offset": 0, "Limit": 100}, token=TC_TOKEN),
        run("describe_images_port_host", "endpoint 127.0.0.1:8080 over http: host keeps the port",
            "DescribeImages", {"Filters": [name_filter], "Offset": 0, "Limit": 100},
            endpoint="127.0.0.1:8080", scheme="http"),
        run("describe_images_empty_filters", "an empty Filters list is sent as []",
            "DescribeImages", {"Filters": [], "Offset": 200, "Limit": 100}),
        run("describe_images_image_ids", "ImageIds (show / check --id)", "DescribeImages",
            {"ImageIds": ["img-pmqg1cw7"], "Offset": 0, "Limit": 100}, region="ap-shanghai"),
        run("describe_images_utc_day", "a timestamp at 23:59:59 UTC: the scope date is that day",
            "DescribeImages", {"Offset": 0, "Limit": 100}, t=TC3_TIME_LATE),
        run("describe_regions", "DescribeRegions takes no region: no X-TC-Region, body {}",
            "DescribeRegions", {}, region=""),
    ]


# ---------------------------------------------------------------------------------------------
def sdk_version(dist):
    from importlib.metadata import version

    return "%s==%s" % (dist, version(dist))


def write(name, sdks, cases):
    path = os.path.join(FIXTURES, name)
    doc = {"generator": "scripts/gen_vectors.py", "sdks": [sdk_version(s) for s in sdks],
           "cases": cases}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("wrote %s (%d cases)" % (os.path.relpath(path, ROOT), len(cases)))


def main():
    os.environ.pop("HUAWEICLOUD_SDK_IAM_ENDPOINT", None)
    os.makedirs(FIXTURES, exist_ok=True)
    rig = HuaweiRig()
    huawei = huawei_signer_cases(rig) + huawei_client_cases(rig)
    write("huawei_vectors.json", ["huaweicloudsdkcore", "huaweicloudsdkims",
                                  "huaweicloudsdkworkspace", "huaweicloudsdkcph"], huawei)
    write("tencent_v2_vectors.json", ["qcloudapi-sdk-python"], tencent_cases())
    write("zenlayer_vectors.json", ["zenlayercloud-sdk-python"], zenlayer_cases())
    write("tc3_vectors.json", ["tencentcloud-sdk-python-common", "tencentcloud-sdk-python-cvm"],
          tc3_cases())


if __name__ == "__main__":
    # huaweicloudsdkcore writes ~/.huaweicloud/application_id on import: keep it out of $HOME.
    os.environ["HOME"] = tempfile.mkdtemp(prefix="gen-vectors-home-")
    if "--in-venv" in sys.argv or in_venv_with_sdks():
        main()
    else:
        bootstrap()
