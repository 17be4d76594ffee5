// drafter serve: the page. Plain JavaScript, no library; the whole draft lives in `state.draft`
// (the JSON of /api/draft) and is sent back with every edit, so the server keeps no session.
"use strict";

const state = { draft: null, meta: null, bankOffset: 0 };
const $ = (sel) => document.querySelector(sel);

function show(el, text, ok) {
  el.hidden = !text;
  el.textContent = text || "";
  el.classList.toggle("ok", !!ok);
}

async function call(method, url, body) {
  const opts = { method, headers: {} };
  if (body instanceof FormData) {
    opts.body = body;
  } else if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(url, opts);
  } catch (e) {
    throw new Error("连接不上 drafter 服务：请确认运行 drafter serve 的窗口没有关闭。");
  }
  const type = resp.headers.get("Content-Type") || "";
  if (!resp.ok) {
    let data = null;
    if (type.includes("json")) data = await resp.json();
    const msg = data ? data.error + (data.hint ? "\n提示：" + data.hint : "") : "请求失败（" + resp.status + "）";
    throw new Error(msg);
  }
  return type.includes("json") ? resp.json() : resp;
}

function busy(button, on) { if (button) button.disabled = on; }

// ---- the form ------------------------------------------------------------------------------

function formParams() {
  // form.elements["length"] is the element count, so fields are found by id
  const fields = { year: "f-year", locality: "f-locality", level: "f-level", province: "f-province",
    meeting_no: "f-meeting", speaker: "f-speaker", date: "f-date", points: "f-points", length: "f-length",
    template: "f-template", seed: "f-seed" };
  const params = {};
  for (const [name, id] of Object.entries(fields)) {
    const v = document.getElementById(id).value.trim();
    if (v !== "") params[name] = v;
  }
  params.topics = [...document.querySelectorAll("#topics input:checked")].map((i) => i.value);
  if ($("#f-bold").checked) params.bold_leads = true;
  return params;
}

async function loadMeta() {
  const meta = await call("GET", "/api/meta");
  state.meta = meta;
  const box = $("#topics");
  for (const t of meta.topics) {
    const label = document.createElement("label");
    label.innerHTML = '<input type="checkbox" name="topics">';
    label.firstChild.value = t;
    label.append(t);
    box.append(label);
  }
  for (const t of meta.templates) {
    const o = new Option(t.name, t.name);
    o.title = t.description;
    $("#f-template").append(o);
  }
  for (const r of meta.roles) $("#bank-role").append(new Option(roleLabel(r), r));
  for (const t of meta.topics) $("#bank-topic").append(new Option(t, t));
}

function yearsLabel(years) {
  // "-" / "2021-" / "-2022" / "2021-2023" / "2024"
  const [from, to] = years.includes("-") ? years.split("-") : [years, years];
  if (!from && !to) return "不限";
  if (from === to) return from + " 年";
  if (!to) return from + " 年起";
  if (!from) return "至 " + to + " 年";
  return from + "–" + to + " 年";
}

function roleLabel(role) {
  // "point" -> "要点段落" (the bank's own description, up to its first bracket or colon)
  const label = state.meta && state.meta.role_labels[role];
  return label ? label.split(/[（：(]/)[0] : role;
}

async function makeDraft(newSeed) {
  const btn = newSeed ? $("#btn-redraft") : $("#btn-draft");
  if (newSeed) $("#f-seed").value = String(Math.floor(Math.random() * 100000));
  const params = formParams();
  const locked = state.draft ? state.draft.blocks : null;
  const hasLocked = locked && locked.some((b) => b.locked);
  busy(btn, true);
  try {
    state.draft = await call("POST", "/api/draft", { params, locked: hasLocked ? locked : null });
    $("#f-seed").value = state.draft.params.seed;
    show($("#message"), "");
    $("#findings-draft").hidden = true;
    render();
  } catch (e) {
    show($("#message"), e.message);
  } finally {
    busy(btn, false);
  }
}

// ---- the preview -----------------------------------------------------------------------------

function textWithMarks(el, text, lead) {
  // lead (bold) + text with 【…】 placeholders highlighted
  let rest = text;
  if (lead && text.startsWith(lead)) {
    const b = document.createElement("span");
    b.className = "lead";
    appendPlaceholders(b, lead);
    el.append(b);
    rest = text.slice(lead.length);
  }
  appendPlaceholders(el, rest);
}

function appendPlaceholders(el, text) {
  const re = /【[^【】]{0,20}】/g;
  let last = 0, m;
  while ((m = re.exec(text))) {
    el.append(text.slice(last, m.index));
    const s = document.createElement("mark");
    s.className = "ph";
    s.textContent = m[0];
    s.title = "占位符：请填写";
    el.append(s);
    last = m.index + m[0].length;
  }
  el.append(text.slice(last));
}

function render() {
  const paper = $("#paper");
  paper.classList.remove("empty");
  paper.textContent = "";
  const d = state.draft;
  const notes = $("#notes");
  notes.hidden = !d.notes.length;
  notes.textContent = d.notes.length ? "说明：" + d.notes.join("\n") : "";
  const locked = d.blocks.filter((b) => b.locked).length;
  const chars = d.blocks.filter((b) => b.kind !== "title" && b.kind !== "byline").reduce((n, b) => n + b.text.length, 0);
  $("#stats").textContent = `正文约 ${chars} 字 · ${d.blocks.length} 段` + (locked ? ` · 锁定 ${locked} 段` : "") + ` · 种子 ${d.params.seed}`;
  d.blocks.forEach((b, i) => {
    const p = document.createElement("p");
    p.className = "blk " + b.kind + (b.locked ? " locked" : "");
    p.dataset.index = i;
    const where = b.sources.length ? "来源：" + b.sources.join("；") : "由模板生成";
    p.title = where + (b.role ? "\n角色：" + roleLabel(b.role) : "") + (b.topics.length ? "\n主题：" + b.topics.join("、") : "") + (b.notes.length ? "\n备注：" + b.notes.join("；") : "");
    textWithMarks(p, b.text, b.lead);
    if (b.kind !== "title") p.append(tools(b, i, where));
    paper.append(p);
  });
}

function tools(b, i, where) {
  const bar = document.createElement("span");
  bar.className = "tools";
  const src = document.createElement("span");
  src.className = "src";
  src.textContent = b.sources.length ? b.sources[0] : "模板";
  bar.append(src);
  if (b.entry_ids.length) {
    bar.append(button(b.kind === "heading1" || b.kind === "heading2" ? "换标题" : "换一段", "swap", () => alternatives(i)));
  }
  bar.append(button(b.locked ? "取消锁定" : "锁定", "lock", () => { b.locked = !b.locked; render(); }));
  bar.append(button("删除", "del", () => removeBlock(i)));
  return bar;
}

function button(label, cls, onclick) {
  const el = document.createElement("button");
  el.type = "button";
  el.className = cls;
  el.textContent = label;
  el.addEventListener("click", (ev) => { ev.stopPropagation(); onclick(); });
  return el;
}

async function alternatives(i) {
  document.querySelectorAll(".alts").forEach((a) => a.remove());
  const p = document.querySelector(`#paper .blk[data-index="${i}"]`);
  const box = document.createElement("div");
  box.className = "alts";
  box.innerHTML = "<h3>正在查找同一角色、同一主题的其他段落……</h3>";
  p.after(box);
  try {
    const res = await call("POST", "/api/alternatives", { draft: state.draft, index: i });
    box.querySelector("h3").textContent = res.alternatives.length
      ? `同一角色、同一主题的其他段落（${res.alternatives.length} 条，点“选用”替换）`
      : "语料库中没有同一角色的其他可用段落（适合本年份、本层级且不与稿中重复的）。";
    const ol = document.createElement("ol");
    for (const alt of res.alternatives) {
      const li = document.createElement("li");
      li.title = "来源：" + alt.sources.join("；");
      appendPlaceholders(li, alt.text);
      if (!alt.same_topic) {
        const other = document.createElement("span");
        other.className = "other";
        other.textContent = "（其他主题：" + (alt.topics.join("、") || "无") + "）";
        li.append(other);
      }
      li.append(button("选用", "pick", () => {
        state.draft.blocks[i] = Object.assign(alt, { locked: state.draft.blocks[i].locked });
        render();
      }));
      ol.append(li);
    }
    box.append(ol);
    box.append(button("关闭", "close", () => box.remove()));
  } catch (e) {
    box.querySelector("h3").textContent = e.message;
    box.append(button("关闭", "close", () => box.remove()));
  }
}

async function removeBlock(i) {
  state.draft.blocks.splice(i, 1);
  try {
    state.draft = Object.assign(await call("POST", "/api/renumber", state.draft));
  } catch (e) {
    show($("#message"), e.message);
  }
  render();
}

async function download(fmt, btn) {
  if (!state.draft) { show($("#message"), "请先生成初稿。"); return; }
  busy(btn, true);
  try {
    const params = { ...state.draft.params };  // the bold-leads box as it is now, not as it was
    if ($("#f-bold").checked) params.bold_leads = true; else delete params.bold_leads;
    const resp = await call("POST", "/api/export?format=" + fmt, { ...state.draft, params });
    const blob = await resp.blob();
    const cd = resp.headers.get("Content-Disposition") || "";
    const m = cd.match(/filename\*=UTF-8''([^;]+)/);
    const name = m ? decodeURIComponent(m[1]) : "初稿." + fmt;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
    show($("#message"), "已下载：" + name, true);
  } catch (e) {
    show($("#message"), e.message);
  } finally {
    busy(btn, false);
  }
}

// ---- checking ------------------------------------------------------------------------------

function listFindings(box, findings, onpick) {
  box.hidden = false;
  box.textContent = "";
  const errors = findings.filter((f) => f.severity === "error").length;
  const head = document.createElement("div");
  head.textContent = findings.length
    ? `发现 ${errors} 个错误，${findings.length - errors} 个警告：`
    : "没有发现问题。";
  box.append(head);
  const ol = document.createElement("ol");
  for (const f of findings) {
    const li = document.createElement("li");
    li.className = f.severity;
    li.textContent = `第 ${f.line} 行 [${f.rule}] ${f.severity === "error" ? "错误" : "警告"}：${f.message}`;
    li.addEventListener("click", () => onpick(f));
    ol.append(li);
  }
  box.append(ol);
}

function flag(el, f) {
  if (!el) return;
  const cls = "flag-" + f.severity;
  if (!el.classList.contains("flag-error")) el.classList.add(cls);
  el.title = (el.title ? el.title + "\n" : "") + (f.severity === "error" ? "错误：" : "警告：") + f.message;
}

async function lintDraft() {
  if (!state.draft) { show($("#message"), "请先生成初稿。"); return; }
  const d = state.draft;
  const text = d.blocks.map((b) => b.text.replace(/\n/g, "")).join("\n");
  try {
    const findings = await call("POST", "/api/lint", {
      text, year: d.year, locality: d.locality, level: d.level, name: "当前初稿.txt",
    });
    render();
    const blockAt = (line) => document.querySelector(`#paper .blk[data-index="${line - 1}"]`);
    findings.forEach((f) => flag(blockAt(f.line), f));
    listFindings($("#findings-draft"), findings, (f) => blockAt(f.line)?.scrollIntoView({ block: "center" }));
  } catch (e) {
    show($("#message"), e.message);
  }
}

async function lintSpeech() {
  const file = $("#lint-file").files[0];
  const year = $("#lint-year").value, level = $("#lint-level").value, locality = $("#lint-locality").value.trim();
  const btn = $("#btn-lint");
  busy(btn, true);
  try {
    let findings, text = null;
    if (file) {
      const form = new FormData();
      form.append("file", file);
      if (year) form.append("year", year);
      if (level) form.append("level", level);
      if (locality) form.append("locality", locality);
      findings = await call("POST", "/api/lint", form);
      const shown = new FormData();
      shown.append("file", file);
      text = (await call("POST", "/api/read", shown)).lines.join("\n");  // numbered as lint numbers them
    } else {
      text = $("#lint-text").value;
      findings = await call("POST", "/api/lint", { text, year: year || null, level: level || null, locality: locality || null });
    }
    show($("#lint-message"), "");
    const view = $("#lint-view");
    view.textContent = "";
    if (text !== null) {
      text.split(/\r\n|\r|\n/).forEach((line, i) => {
        const p = document.createElement("p");
        p.className = "blk";
        p.dataset.line = i + 1;
        const no = document.createElement("span");
        no.className = "no";
        no.textContent = i + 1;
        const body = document.createElement("span");
        appendPlaceholders(body, line);
        p.append(no, body);
        view.append(p);
      });
    }
    const lineAt = (n) => view.querySelector(`.blk[data-line="${n}"]`);
    findings.forEach((f) => flag(lineAt(f.line), f));
    listFindings($("#findings-lint"), findings, (f) => lineAt(f.line)?.scrollIntoView({ block: "center" }));
  } catch (e) {
    show($("#lint-message"), e.message);
  } finally {
    busy(btn, false);
  }
}

// ---- the bank ------------------------------------------------------------------------------

async function searchBank(more) {
  state.bankOffset = more ? state.bankOffset + 50 : 0;
  const q = new URLSearchParams({ offset: state.bankOffset, limit: 50 });
  for (const [key, sel] of [["q", "#bank-q"], ["role", "#bank-role"], ["topic", "#bank-topic"], ["year", "#bank-year"], ["level", "#bank-level"]]) {
    const v = $(sel).value.trim();
    if (v) q.set(key, v);
  }
  try {
    const res = await call("GET", "/api/bank/search?" + q);
    show($("#bank-message"), "");
    const list = $("#bank-results");
    if (!more) list.textContent = "";
    list.start = 1;
    $("#bank-summary").textContent = `共 ${res.total} 条`;
    for (const e of res.entries) {
      const li = document.createElement("li");
      const meta = document.createElement("div");
      meta.className = "meta";
      for (const t of [e.id, "角色：" + roleLabel(e.role), "主题：" + (e.topics.join("、") || "无"), "年份：" + yearsLabel(e.years),
        "层级：" + e.levels.join(""), "来源：" + (e.source.join("；") || "无"), e.file ? "库文件：" + e.file + (e.line ? ":" + e.line : "") : ""]) {
        if (!t) continue;
        const s = document.createElement("span");
        s.textContent = t;
        meta.append(s);
      }
      const body = document.createElement("div");
      appendPlaceholders(body, e.text);
      li.append(body, meta);
      list.append(li);
    }
    $("#bank-more").hidden = state.bankOffset + 50 >= res.total;
  } catch (e) {
    show($("#bank-message"), e.message);
  }
}

// ---- wiring --------------------------------------------------------------------------------

document.querySelectorAll("nav .tab").forEach((tab) => tab.addEventListener("click", () => {
  document.querySelectorAll("nav .tab").forEach((t) => t.classList.toggle("active", t === tab));
  document.querySelectorAll(".tabpane").forEach((p) => p.classList.toggle("active", p.id === "tab-" + tab.dataset.tab));
}));
$("#params").addEventListener("submit", (ev) => { ev.preventDefault(); makeDraft(false); });
$("#btn-redraft").addEventListener("click", () => makeDraft(true));
document.querySelectorAll("#downloads [data-format]").forEach((b) => b.addEventListener("click", () => download(b.dataset.format, b)));
$("#btn-lint-draft").addEventListener("click", lintDraft);
$("#btn-lint").addEventListener("click", lintSpeech);
$("#bank-form").addEventListener("submit", (ev) => { ev.preventDefault(); searchBank(false); });
$("#bank-more").addEventListener("click", () => searchBank(true));
loadMeta().catch((e) => show($("#message"), e.message));
