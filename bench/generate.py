#!/usr/bin/env python3
"""Deterministic generator of a large synthetic Python + Rust tree for the benchmark.

    python3 bench/generate.py OUT_DIR [--files 6000] [--sites 12000] [--seed 7]

Writes a project whose every file mentions "checkout" (so every file passes the byte
prefilter and must be parsed: the worst case for checkout-lint), most of them without any
call site, plus a known number of Checkout Session creates in every shape of SPEC §4,
alternating sanctioned (`expires_at` from the shared constant) and missing `expires_at`.

Beside the sources it writes `MANIFEST.json` (counts per language and per shape) and
`EXPECTED.tsv` (one line per planted call site: path, line, the lines of its enclosing
function, language, shape, status), which
`bench/run.sh` compares every tool's findings against. Same arguments, same bytes.
"""

import argparse
import json
import random
import shutil
from pathlib import Path

PY_TTL = "int(time.time()) + CHECKOUT_SESSION_TTL_SECONDS"
RS_TTL = "Utc::now().timestamp() + CHECKOUT_SESSION_TTL_SECONDS"
SITE = "\x00"  # marks the line of a template that holds the call site's first token

WORDS = (
    "order invoice cart customer ticket jersey camp league team roster season refund "
    "coupon price product bundle shipment address payment receipt member tournament "
    "venue coach player wallet voucher discount fee plan tier report export audit"
).split()


def ident(rng, n=2):
    return "_".join(rng.choice(WORDS) for _ in range(n))


def camel(rng, n=2):
    return "".join(rng.choice(WORDS).capitalize() for _ in range(n))


# --------------------------------------------------------------------------------------
# Python


PY_HEADER = '''"""{doc}"""
import asyncio
import functools
import time

import httpx
import requests
import stripe
import stripe as stripe_lib
from starlette.concurrency import run_in_threadpool
from stripe import StripeClient
from stripe import checkout as stripe_checkout
from stripe.api_resources.checkout.session import Session as LegacySession
from stripe.checkout import Session as StripeSession

from shop.billing import create_checkout_session
from shop.config import CHECKOUT_SESSION_TTL_SECONDS

CS = stripe.checkout.Session
client = StripeClient("sk_test_123")
STRIPE_API = "https://api.stripe.com"
'''


def py_site(shape, fn, ok):
    """Lines of one function holding one call site of `shape`; SITE marks the site line."""
    exp = f"        expires_at={PY_TTL},\n" if ok else ""
    exp_key = f'            "expires_at": {PY_TTL},\n' if ok else ""
    kwargs = f'        mode="payment",\n        line_items=items,\n{exp}'
    simple = {
        "classic": "stripe.checkout.Session.create",
        "module_alias": "stripe_lib.checkout.Session.create",
        "from_checkout": "stripe_checkout.Session.create",
        "class_alias": "StripeSession.create",
        "module_level_alias": "CS.create",
        "legacy_api_resources": "LegacySession.create",
        "checkout_session_2_17": "stripe.CheckoutSession.create",
        "wrapper": "create_checkout_session",
    }
    if shape in simple:
        return f"def {fn}(items):\n    return {SITE}{simple[shape]}(\n{kwargs}    )\n"
    if shape == "create_async":
        return (
            f"async def {fn}(items):\n"
            f"    return await {SITE}stripe.checkout.Session.create_async(\n{kwargs}    )\n"
        )
    if shape == "local_import":
        return (
            f"def {fn}(items):\n    import stripe as local_stripe\n\n"
            f"    return {SITE}local_stripe.checkout.Session.create(\n{kwargs}    )\n"
        )
    if shape == "client_positional":
        return (
            f"def {fn}(items):\n    return {SITE}client.checkout.sessions.create(\n"
            f'        {{\n            "mode": "payment",\n            "line_items": items,\n{exp_key}        }}\n    )\n'
        )
    if shape == "client_v1_params":
        return (
            f"def {fn}(items, account):\n    return {SITE}client.v1.checkout.sessions.create(\n"
            f'        params={{\n            "mode": "payment",\n            "line_items": items,\n{exp_key}        }},\n'
            f'        options={{"stripe_account": account}},\n    )\n'
        )
    if shape == "client_v1_async":
        assign = f'    p["expires_at"] = {PY_TTL}\n' if ok else ""
        return (
            f"async def {fn}(items, key):\n"
            f'    p = {{"mode": "payment", "line_items": items}}\n{assign}'
            f'    return await {SITE}client.v1.checkout.sessions.create_async(p, {{"idempotency_key": key}})\n'
        )
    if shape == "to_thread":
        return (
            f"async def {fn}(items):\n    params = {{\n        \"mode\": \"payment\",\n"
            f"        \"line_items\": items,\n{exp_key[4:]}    }}\n"
            f"    return await asyncio.to_thread(\n        {SITE}stripe.checkout.Session.create,\n        **params,\n    )\n"
        )
    if shape == "run_in_threadpool":
        return (
            f"async def {fn}(items):\n    return await run_in_threadpool(\n"
            f"        {SITE}stripe.checkout.Session.create,\n"
            f"        mode=\"payment\",\n        line_items=items,\n{exp}    )\n"
        )
    if shape == "partial":
        return (
            f"def {fn}(items):\n    return functools.partial(\n"
            f"        {SITE}stripe.checkout.Session.create,\n"
            f"        mode=\"payment\",\n        line_items=items,\n{exp}    )\n"
        )
    if shape == "splat_subscript":
        assign = f'    params["expires_at"] = {PY_TTL}\n' if ok else ""
        return (
            f"def {fn}(items):\n"
            f'    params = {{"mode": "payment", "line_items": items}}\n{assign}'
            f"    return {SITE}stripe.checkout.Session.create(**params)\n"
        )
    if shape == "splat_update":
        update = f"    params.update(expires_at={PY_TTL})\n" if ok else ""
        return (
            f"def {fn}(items):\n"
            f'    params = dict(mode="payment", line_items=items)\n{update}'
            f"    return {SITE}stripe.checkout.Session.create(**params)\n"
        )
    if shape == "requests_post":
        return (
            f"def {fn}(price, key):\n    return {SITE}requests.post(\n"
            f'        "https://api.stripe.com/v1/checkout/sessions",\n        auth=(key, ""),\n'
            f'        data={{\n            "mode": "payment",\n            "line_items[0][price]": price,\n{exp_key}        }},\n    )\n'
        )
    if shape == "httpx_post":
        assign = f'    data["expires_at"] = {PY_TTL}\n' if ok else ""
        return (
            f"def {fn}(price, key):\n"
            f'    data = {{"mode": "payment", "line_items[0][price]": price}}\n{assign}'
            f'    return {SITE}httpx.post(f"{{STRIPE_API}}/v1/checkout/sessions", auth=(key, ""), data=data)\n'
        )
    if shape == "raw_request":
        return (
            f"def {fn}(price):\n    return {SITE}client.raw_request(\n"
            f'        "post",\n        "/v1/checkout/sessions",\n'
            f'        mode="payment",\n        line_items=[{{"price": price, "quantity": 1}}],\n{exp}    )\n'
        )
    raise ValueError(shape)


PY_SHAPES = [
    "classic", "create_async", "module_alias", "from_checkout", "class_alias",
    "module_level_alias", "local_import", "legacy_api_resources", "checkout_session_2_17",
    "client_positional", "client_v1_params", "client_v1_async", "to_thread",
    "run_in_threadpool", "partial", "splat_subscript", "splat_update", "wrapper",
    "requests_post", "httpx_post", "raw_request",
]


def py_filler(rng, i):
    """One realistic function or class that creates nothing (but may say "checkout")."""
    name, other, Cls = ident(rng), ident(rng), camel(rng)
    kind = i % 6
    if kind == 0:
        return (
            f"class {Cls}Checkout{i}:\n"
            f'    """Keeps the {name} state of one checkout flow."""\n\n'
            f"    def __init__(self, {name}, {other}=None):\n"
            f"        self.{name} = {name}\n        self.{other} = {other} or {{}}\n"
            f"        self.items = []\n\n"
            f"    def add(self, sku, quantity=1, *, price=None):\n"
            f"        if quantity <= 0:\n            raise ValueError(f\"bad quantity {{quantity}} for {{sku}}\")\n"
            f"        self.items.append({{\"sku\": sku, \"quantity\": quantity, \"price\": price}})\n"
            f"        return self\n\n"
            f"    @property\n    def total(self):\n"
            f"        return sum((it[\"price\"] or 0) * it[\"quantity\"] for it in self.items)\n"
        )
    if kind == 1:
        return (
            f"def {name}_checkout_url_{i}(base_url, {other}_id, *, utm=None):\n"
            f'    """Builds the link to our own checkout page (not Stripe\'s)."""\n'
            f"    query = {{\"id\": {other}_id, \"v\": {rng.randint(1, 9)}}}\n"
            f"    if utm:\n        query.update({{k: v for k, v in utm.items() if v}})\n"
            f"    parts = [f\"{{k}}={{v}}\" for k, v in sorted(query.items())]\n"
            f"    return f\"{{base_url}}/checkout?{{'&'.join(parts)}}\"\n"
        )
    if kind == 2:
        return (
            f"async def load_{name}_{i}(db, ids, limit={rng.randint(10, 500)}):\n"
            f"    rows = await db.fetch_all(\n"
            f"        \"SELECT id, {other}, created_at FROM {name} WHERE id = ANY(:ids) LIMIT :limit\",\n"
            f"        {{\"ids\": list(ids), \"limit\": limit}},\n    )\n"
            f"    result = {{}}\n    for row in rows:\n"
            f"        try:\n            result[row[\"id\"]] = (row[\"{other}\"], row[\"created_at\"])\n"
            f"        except KeyError as exc:\n            raise LookupError(row) from exc\n"
            f"    return result\n"
        )
    if kind == 3:
        return (
            f"def summarize_{name}_{i}(records):\n"
            f"    totals, counts = {{}}, {{}}\n"
            f"    for rec in records:\n        key = (rec.get(\"{other}\"), rec.get(\"currency\", \"eur\"))\n"
            f"        totals[key] = totals.get(key, 0) + rec[\"amount\"]\n"
            f"        counts[key] = counts.get(key, 0) + 1\n"
            f"    return [\n        {{\"key\": k, \"total\": t, \"mean\": t / counts[k]}}\n"
            f"        for k, t in sorted(totals.items(), key=lambda kv: -kv[1])\n"
            f"        if counts[k] > {rng.randint(0, 3)}\n    ]\n"
        )
    if kind == 4:
        return (
            f"@router.post(\"/{name.replace('_', '/')}/{i}\")\n"
            f"async def handle_{name}_{i}(request, payload: dict):\n"
            f"    user = await request.state.auth.current_user()\n"
            f"    if user is None or not user.is_active:\n        return {{\"error\": \"unauthorized\"}}, 401\n"
            f"    match payload.get(\"action\"):\n"
            f"        case \"add\":\n            await request.app.{other}.add(user.id, payload[\"sku\"])\n"
            f"        case \"remove\":\n            await request.app.{other}.remove(user.id, payload[\"sku\"])\n"
            f"        case _:\n            return {{\"error\": \"unknown action\"}}, 400\n"
            f"    return {{\"ok\": True, \"user\": user.id}}, 200\n"
        )
    return (
        f"{name.upper()}_{i}_RULES = {{\n"
        + "".join(
            f"    \"{ident(rng)}\": ({rng.randint(0, 9999)}, {rng.random():.4f}, \"{ident(rng, 3)}\"),\n"
            for _ in range(rng.randint(4, 9))
        )
        + "}\n"
    )


PY_PLAIN_HEADER = '''"""{doc}"""
import asyncio
import functools
import time

import httpx

from shop.config import CHECKOUT_SESSION_TTL_SECONDS
'''


def py_module(rng, doc, sites, filler_count):
    """Source text of one Python module and the 1-based lines of its planted sites."""
    header = PY_HEADER if sites else PY_PLAIN_HEADER
    chunks = [header.format(doc=doc), "router = None  # set by the app factory\n"]
    for i in range(filler_count):
        chunks.append(py_filler(rng, i))
    for shape, ok in sites:
        chunks.append(py_site(shape, f"{shape}_{'ok' if ok else 'missing'}_{rng.randrange(10**6)}", ok))
    return join_with_sites(chunks)


# --------------------------------------------------------------------------------------
# Rust


RS_HEADER_0X = """//! {doc}
use std::collections::HashMap;

use chrono::Utc;
use stripe::CheckoutSession as StripeCheckout;
use stripe::{{CheckoutSession, CheckoutSessionMode, Client, CreateCheckoutSession}};

use crate::config::CHECKOUT_SESSION_TTL_SECONDS;
"""

RS_HEADER_1X = """//! {doc}
use std::collections::HashMap;

use chrono::Utc;
use stripe::Client;
use stripe_checkout::checkout_session::CreateCheckoutSession as NewCheckoutSession;
use stripe_checkout::checkout_session::{{CreateCheckoutSession, CreateCheckoutSessionMode}};

use crate::config::CHECKOUT_SESSION_TTL_SECONDS;
"""

RS_SHAPES_0X = ["field_assign", "struct_stored", "struct_inline", "use_as_alias", "fully_qualified", "reqwest_form"]
RS_SHAPES_1X = ["builder_chain", "builder_stored", "builder_use_as_alias", "builder_send_blocking", "reqwest_form"]


def rs_site(shape, fn, ok):
    exp_field = f"    params.expires_at = Some({RS_TTL});\n" if ok else ""
    exp_lit = f"        expires_at: Some({RS_TTL}),\n" if ok else ""
    exp_call = f"        .expires_at({RS_TTL})\n" if ok else ""
    sig = f"pub async fn {fn}(client: &Client, url: &str) -> Result<String, stripe::StripeError> {{\n"
    if shape == "field_assign":
        return (
            sig + "    let mut params = CreateCheckoutSession::new();\n"
            "    params.mode = Some(CheckoutSessionMode::Payment);\n"
            "    params.success_url = Some(url);\n" + exp_field
            + f"    let session = {SITE}CheckoutSession::create(client, params).await?;\n"
            "    Ok(session.id.to_string())\n}\n"
        )
    if shape == "struct_stored":
        return (
            sig + "    let params = CreateCheckoutSession {\n"
            "        mode: Some(CheckoutSessionMode::Payment),\n        success_url: Some(url),\n"
            + exp_lit + "        ..Default::default()\n    };\n"
            f"    let session = {SITE}CheckoutSession::create(client, params).await?;\n"
            "    Ok(session.id.to_string())\n}\n"
        )
    if shape == "struct_inline":
        return (
            sig + f"    let session = {SITE}CheckoutSession::create(\n        client,\n"
            "        CreateCheckoutSession {\n            mode: Some(CheckoutSessionMode::Payment),\n"
            "            success_url: Some(url),\n" + ("    " + exp_lit if ok else "")
            + "            ..Default::default()\n        },\n    )\n    .await?;\n"
            "    Ok(session.id.to_string())\n}\n"
        )
    if shape == "use_as_alias":
        return (
            sig + "    let mut params = CreateCheckoutSession::new();\n"
            "    params.success_url = Some(url);\n" + exp_field
            + f"    let session = {SITE}StripeCheckout::create(client, params).await?;\n"
            "    Ok(session.id.to_string())\n}\n"
        )
    if shape == "fully_qualified":
        return (
            sig + "    let mut params = stripe::CreateCheckoutSession::new();\n"
            "    params.success_url = Some(url);\n" + exp_field
            + f"    let session = {SITE}stripe::CheckoutSession::create(client, params).await?;\n"
            "    Ok(session.id.to_string())\n}\n"
        )
    if shape in ("builder_chain", "builder_use_as_alias", "builder_send_blocking"):
        ty = "NewCheckoutSession" if shape == "builder_use_as_alias" else "CreateCheckoutSession"
        send = ".send_blocking(client)?" if shape == "builder_send_blocking" else ".send(client)\n        .await?"
        if shape == "builder_send_blocking":
            sig = f"pub fn {fn}(client: &Client, url: &str) -> Result<String, stripe::StripeError> {{\n"
        return (
            sig + f"    let session = {SITE}{ty}::new()\n"
            "        .mode(CreateCheckoutSessionMode::Payment)\n        .success_url(url)\n"
            + exp_call + f"        {send};\n"
            "    Ok(session.id.to_string())\n}\n"
        )
    if shape == "builder_stored":
        reassign = f"    req = req.expires_at({RS_TTL});\n" if ok else ""
        return (
            sig + "    let mut req = CreateCheckoutSession::new().mode(CreateCheckoutSessionMode::Payment);\n"
            "    req = req.success_url(url);\n" + reassign
            + f"    let session = {SITE}req.send(client).await?;\n"
            "    Ok(session.id.to_string())\n}\n"
        )
    if shape == "reqwest_form":
        exp_pair = "            (\"expires_at\", expires_at.as_str()),\n" if ok else ""
        exp_let = f"    let expires_at = ({RS_TTL}).to_string();\n" if ok else ""
        return (
            f"pub async fn {fn}(http: &reqwest::Client, key: &str, price: &str) -> reqwest::Result<String> {{\n"
            + exp_let
            + f"    let resp = {SITE}http\n        .post(\"https://api.stripe.com/v1/checkout/sessions\")\n"
            "        .basic_auth(key, None::<&str>)\n        .form(&[\n"
            "            (\"mode\", \"payment\"),\n            (\"line_items[0][price]\", price),\n"
            + exp_pair + "        ])\n        .send()\n        .await?;\n    resp.text().await\n}\n"
        )
    raise ValueError(shape)


def rs_filler(rng, i):
    name, other, Cls = ident(rng), ident(rng), camel(rng)
    kind = i % 5
    if kind == 0:
        return (
            f"/// One line of a checkout basket ({name}).\n"
            f"#[derive(Debug, Clone, PartialEq)]\npub struct {Cls}Line{i} {{\n"
            f"    pub sku: String,\n    pub quantity: u32,\n    pub unit_cents: i64,\n    pub {other}: Option<String>,\n}}\n\n"
            f"impl {Cls}Line{i} {{\n    pub fn total(&self) -> i64 {{\n"
            f"        self.unit_cents * i64::from(self.quantity)\n    }}\n\n"
            f"    pub fn describe(&self) -> String {{\n"
            f"        format!(\"{{}} x{{}} = {{}}\", self.sku, self.quantity, self.total())\n    }}\n}}\n"
        )
    if kind == 1:
        return (
            f"pub fn {name}_checkout_totals_{i}(lines: &[(String, i64)]) -> HashMap<String, i64> {{\n"
            f"    let mut totals = HashMap::new();\n"
            f"    for (key, cents) in lines {{\n        *totals.entry(key.clone()).or_insert(0) += cents;\n    }}\n"
            f"    totals.retain(|_, v| *v > {rng.randint(0, 100)});\n    totals\n}}\n"
        )
    if kind == 2:
        return (
            f"#[derive(Debug)]\npub enum {Cls}Event{i} {{\n    Created {{ id: u64 }},\n"
            f"    Paid {{ id: u64, cents: i64 }},\n    Refunded(u64, String),\n}}\n\n"
            f"pub fn {name}_label_{i}(event: &{Cls}Event{i}) -> String {{\n    match event {{\n"
            f"        {Cls}Event{i}::Created {{ id }} => format!(\"created {{id}}\"),\n"
            f"        {Cls}Event{i}::Paid {{ id, cents }} if *cents > 0 => format!(\"paid {{id}}: {{cents}}\"),\n"
            f"        {Cls}Event{i}::Paid {{ id, .. }} => format!(\"free {{id}}\"),\n"
            f"        {Cls}Event{i}::Refunded(id, why) => format!(\"refunded {{id}}: {{why}}\"),\n    }}\n}}\n"
        )
    if kind == 3:
        return (
            f"pub async fn load_{name}_{i}(pool: &sqlx::PgPool, ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {{\n"
            f"    let rows = sqlx::query_as::<_, (i64, String)>(\n"
            f"        \"SELECT id, {other} FROM {name} WHERE id = ANY($1) LIMIT {rng.randint(10, 500)}\",\n"
            f"    )\n    .bind(ids)\n    .fetch_all(pool)\n    .await?;\n"
            f"    Ok(rows.into_iter().filter(|(_, s)| !s.is_empty()).collect())\n}}\n"
        )
    return (
        f"pub const {name.upper()}_{i}_LIMITS: [(&str, u32); 4] = [\n"
        + "".join(f"    (\"{ident(rng)}\", {rng.randint(0, 9999)}),\n" for _ in range(4))
        + "];\n"
    )


def rs_module(rng, doc, sites, filler_count, generation):
    header = RS_HEADER_1X if generation == "1.x" else RS_HEADER_0X
    chunks = [header.format(doc=doc)]
    for i in range(filler_count):
        chunks.append(rs_filler(rng, i))
    for shape, ok in sites:
        chunks.append(rs_site(shape, f"{shape}_{'ok' if ok else 'missing'}_{rng.randrange(10**6)}", ok))
    return join_with_sites(chunks)


# --------------------------------------------------------------------------------------


def join_with_sites(chunks):
    """The module text and, per planted site, (site line, first and last line of its function)."""
    chunks = [c.rstrip("\n") for c in chunks]
    sites, line = [], 1
    for chunk in chunks:
        lines = chunk.split("\n")
        for n, text in enumerate(lines):
            if SITE in text:
                sites.append((line + n, line, line + len(lines) - 1))
        line += len(lines) + 1
    return ("\n\n".join(chunks) + "\n").replace(SITE, ""), sites


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=6000, help="total source files (2/3 Python, 1/3 Rust)")
    ap.add_argument("--sites", type=int, default=12000, help="planted call sites (2/3 Python, 1/3 Rust)")
    ap.add_argument("--sites-per-file", type=int, default=8)
    ap.add_argument("--fillers", type=int, default=18, help="average site-free functions per file")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    out = args.out
    if out.exists():
        shutil.rmtree(out)
    py_files = args.files * 2 // 3
    rs_files = args.files - py_files
    py_sites = args.sites * 2 // 3
    rs_sites = args.sites - py_sites

    expected = []  # (path, line, language, shape, status)
    written = {"python": 0, "rust": 0}
    size = 0

    def write(rel, text):
        nonlocal size
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        size += len(text.encode())

    # Python: src/shop/{config,billing}.py + packages of 50 modules each.
    write("src/shop/__init__.py", "\"\"\"The shop: catalogue, cart and checkout.\"\"\"\n")
    write("src/shop/config.py", '"""Shared Checkout Session TTL constant."""\nCHECKOUT_SESSION_TTL_SECONDS = 60 * 60\n')
    write(
        "src/shop/billing.py",
        '"""The thin wrapper around Checkout Session creation; judged at each caller."""\nimport stripe\n\n\n'
        "def create_checkout_session(**params):\n    return stripe.checkout.Session.create(**params)\n",
    )
    written["python"] += 3
    remaining = py_files - 3
    site_plan = plan_sites(py_sites, PY_SHAPES, args.sites_per_file)
    for n in range(remaining):
        pkg = f"src/shop/pkg{n // 50:03d}"
        if n % 50 == 0:
            write(f"{pkg}/__init__.py", '"""Checkout-adjacent code of one feature area."""\n')
            written["python"] += 1
        sites = site_plan[n] if n < len(site_plan) else []
        fillers = max(1, args.fillers + rng.randint(-4, 4) - len(sites))
        text, lines = py_module(rng, f"Checkout feature module {n}.", sites, fillers)
        rel = f"{pkg}/mod{n:05d}.py"
        write(rel, text)
        written["python"] += 1
        for (shape, ok), lines_of_site in zip(sites, lines):
            expected.append((rel, *lines_of_site, "python", shape, "sanctioned" if ok else "violation"))
        if written["python"] >= py_files:
            break

    # Rust: crates/payments with a module tree of 50 files per directory.
    write("crates/payments/Cargo.toml", '[package]\nname = "payments"\nversion = "0.1.0"\nedition = "2021"\n')
    write("crates/payments/src/config.rs", "//! Shared Checkout Session TTL constant.\npub const CHECKOUT_SESSION_TTL_SECONDS: i64 = 60 * 60;\n")
    dirs = (rs_files - 2 + 49) // 50
    write("crates/payments/src/lib.rs", "//! Payments.\npub mod config;\n" + "".join(f"pub mod d{d:03d};\n" for d in range(dirs)))
    written["rust"] += 2
    rs_plan_0 = plan_sites(rs_sites // 2, RS_SHAPES_0X, args.sites_per_file)
    rs_plan_1 = plan_sites(rs_sites - rs_sites // 2, RS_SHAPES_1X, args.sites_per_file)
    rs_plan = [x for pair in zip(rs_plan_0, rs_plan_1) for x in ((pair[0], "0.x"), (pair[1], "1.x"))]
    rs_plan += [(p, "0.x") for p in rs_plan_0[len(rs_plan_1):]] + [(p, "1.x") for p in rs_plan_1[len(rs_plan_0):]]
    n = 0
    for d in range(dirs):
        mods = []
        for k in range(50):
            if written["rust"] >= rs_files:
                break
            sites, generation = rs_plan[n] if n < len(rs_plan) else ([], "0.x" if n % 2 else "1.x")
            fillers = max(1, args.fillers + rng.randint(-4, 4) - len(sites))
            text, lines = rs_module(rng, f"Checkout feature module {n}.", sites, fillers, generation)
            rel = f"crates/payments/src/d{d:03d}/m{n:05d}.rs"
            write(rel, text)
            mods.append(f"m{n:05d}")
            written["rust"] += 1
            for (shape, ok), lines_of_site in zip(sites, lines):
                expected.append((rel, *lines_of_site, "rust", shape, "sanctioned" if ok else "violation"))
            n += 1
        write(f"crates/payments/src/d{d:03d}/mod.rs", "".join(f"pub mod {m};\n" for m in mods))
        written["rust"] += 1

    planted = py_sites + rs_sites
    if len(expected) != planted:
        raise SystemExit(f"only {len(expected)} of {planted} sites fit in {args.files} files; raise --files")
    manifest = {"files": written, "bytes": size, "seed": args.seed, "languages": {}}
    for lang in ("python", "rust"):
        rows = [e for e in expected if e[4] == lang]
        shapes = {}
        for *_, shape, status in rows:
            s = shapes.setdefault(shape, {"sites": 0, "missing_expires_at": 0})
            s["sites"] += 1
            s["missing_expires_at"] += status == "violation"
        manifest["languages"][lang] = {
            "sites": len(rows),
            "missing_expires_at": sum(r[-1] == "violation" for r in rows),
            "shapes": dict(sorted(shapes.items())),
        }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    expected.sort()
    (out / "EXPECTED.tsv").write_text(
        "path\tline\tfunction_start\tfunction_end\tlanguage\tshape\tstatus\n" + "".join("\t".join(map(str, e)) + "\n" for e in expected)
    )
    print(
        f"{out}: {sum(written.values())} files ({written['python']} Python, {written['rust']} Rust), "
        f"{size / 1e6:.1f} MB, {planted} call sites ({py_sites} Python, {rs_sites} Rust), "
        f"{sum(e[-1] == 'violation' for e in expected)} without expires_at"
    )


def plan_sites(total, shapes, per_file):
    """Site lists per file: shapes round-robin, sanctioned and missing alternating per shape."""
    sites = []
    for i in range(total):
        round_, k = divmod(i, len(shapes))
        sites.append((shapes[k], (round_ + k) % 2 == 0))
    return [sites[i : i + per_file] for i in range(0, len(sites), per_file)]


if __name__ == "__main__":
    main()
