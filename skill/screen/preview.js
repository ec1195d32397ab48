// A small APL viewhost for previews: it renders the RenderDocument that the skill sends (document,
// datasources, AVG graphics) and plays its ExecuteCommands, in a browser. It knows only what Back
// Coach's documents use, and refuses anything else loudly, so a preview never silently differs from
// the document. Layout is CSS flexbox (APL's layout model); fonts are the browser's sans-serif.
"use strict";
const APL = (() => {
  const COMPONENT_PROPS = {
    common: ["type", "when", "display", "bind", "id", "width", "height", "grow", "shrink", "alignSelf", "description",
             "paddingLeft", "paddingRight", "paddingTop", "paddingBottom", "data", "item", "items"],
    Container: ["direction", "alignItems", "justifyContent"],
    Frame: ["backgroundColor", "borderRadius"],
    Text: ["text", "fontSize", "fontWeight", "color", "textAlign", "maxLines"],
    VectorGraphic: ["source", "scale", "align", "parameters"],
    TouchWrapper: ["onPress"],
  };
  const AVG_PROPS = {
    group: ["type", "items", "rotation", "pivotX", "pivotY", "scaleX", "scaleY", "translateX", "translateY",
            "transform"],
    path: ["type", "pathData", "stroke", "strokeWidth", "strokeLineCap", "fill"],
    text: ["type", "x", "y", "text", "fontSize", "fill", "textAnchor", "fontWeight"],
  };

  // -- data binding: ${...} expressions ------------------------------------------------------------
  // The part of APL's expression language that Back Coach's documents use, evaluated as JavaScript where
  // the two agree: numbers, single-quoted strings, names, `a.b`, `a[i]`, calls of the Math functions
  // below, unary minus, * / % + -, <, == and != (compared as APL does, without type coercion), ||, and
  // `a ? b : c`, as Amazon's APL core library (alexa/apl-core-library) parses and computes them.
  // Anything else is refused: another operator or function, a name that is not bound, a datasource
  // field or an array index that does not exist.
  const TOKEN = /\s+|\d+(?:\.\d+)?|'[^'$\\]*'|[A-Za-z_]\w*|==|!=|\|\||[-+*\/%<?:()[\].,]/y;
  const JS_WORDS = new Set(["new", "typeof", "instanceof", "in", "of", "void", "delete", "this", "function",
    "class", "var", "let", "const", "yield", "await", "async", "super", "import", "export", "return", "if",
    "else", "for", "while", "do", "switch", "case", "default", "break", "continue", "throw", "try", "catch",
    "finally", "with", "debugger", "enum", "extends", "static", "arguments", "eval"]);
  // APL's Math.min/max/floor/ceil behave as JavaScript's (NaN in, NaN out); % is C's fmod, as in JavaScript
  const MATH = new Proxy({ min: Math.min, max: Math.max, floor: Math.floor, ceil: Math.ceil }, {
    get(known, name) {
      if (typeof name === "string" && Object.hasOwn(known, name)) return known[name];
      throw new Error(`the preview does not know Math.${String(name)}`);
    },
  });
  function translate(code) {
    const tokens = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < code.length) {
      const at = TOKEN.lastIndex;
      const match = TOKEN.exec(code);
      if (!match) throw new Error(`the preview does not know ${JSON.stringify(code.slice(at))} in \${${code}}`);
      const token = match[0];
      if (/^\s/.test(token)) continue;
      if (JS_WORDS.has(token)) throw new Error(`the preview does not know ${token} in \${${code}}`);
      if (token === "(" && /^\w/.test(tokens.at(-1) || "") && !(tokens.at(-2) === "." && tokens.at(-3) === "Math")) {
        throw new Error(`the preview calls only Math functions, not ${tokens.at(-1)} in \${${code}}`);
      }
      tokens.push(token === "==" ? "===" : token === "!=" ? "!==" : token);
    }
    return tokens.join(" ");
  }
  // Datasources as APL reads them, except that a missing field or index is an error, not null.
  function strict(value) {
    if (value === null || typeof value !== "object") return value;
    return new Proxy(value, {
      get(target, key) {
        if (typeof key === "symbol") return target[key];
        if (Array.isArray(target) && !/^\d+$/.test(key)) return target[key];   // length, and forEach for the host
        if (!Object.hasOwn(target, key)) throw new Error(`the datasource has no ${Array.isArray(target) ? "index" : "field"} ${key}`);
        return strict(target[key]);
      },
    });
  }
  const compiled = new Map();
  function run(code, ctx) {
    if (!compiled.has(code)) {
      try {
        compiled.set(code, new Function("scope", `with (scope) { return (${translate(code)}); }`));
      } catch (error) {
        throw new Error(`the preview cannot read \${${code}}: ${error.message}`);
      }
    }
    const scope = new Proxy(ctx, {
      has: () => true,      // every name is looked up here, never in the page's globals
      get(target, name) {
        if (name === Symbol.unscopables) return undefined;
        if (!(name in target)) throw new Error(`${String(name)} is not bound`);
        return target[name];
      },
    });
    try {
      return compiled.get(code)(scope);
    } catch (error) {
      throw new Error(`cannot evaluate \${${code}}: ${error.message}`);
    }
  }
  function ev(value, ctx) {
    if (typeof value !== "string" || !value.includes("${")) return value;
    const parts = expressions(value);
    if (parts.length === 1 && parts[0].code !== undefined) return run(parts[0].code, ctx);
    return parts.map((p) => (p.code !== undefined ? String(run(p.code, ctx)) : p.literal)).join("");
  }
  function expressions(text) {
    const parts = [];
    let i = 0;
    while (i < text.length) {
      const start = text.indexOf("${", i);
      if (start < 0) { parts.push({ literal: text.slice(i) }); break; }
      if (start > i) parts.push({ literal: text.slice(i, start) });
      let depth = 1, j = start + 2;
      for (; j < text.length && depth; j++) {
        if (text[j] === "{") depth++;
        if (text[j] === "}") depth--;
      }
      if (depth) throw new Error(`unclosed expression in ${JSON.stringify(text)}`);
      parts.push({ code: text.slice(start + 2, j - 1) });
      i = j;
    }
    return parts;
  }
  function withBinds(ctx, binds, overrides) {
    const inner = Object.create(ctx);
    for (const bind of binds || []) {
      inner[bind.name] = overrides && bind.name in overrides ? overrides[bind.name] : ev(bind.value, inner);
    }
    return inner;
  }

  // -- AVG -> SVG -----------------------------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg";
  function checkProps(item, allowed, what) {
    for (const key of Object.keys(item)) {
      if (!allowed.includes(key)) throw new Error(`${what}: the preview does not know property ${key}`);
    }
  }
  function avgItem(item, ctx) {
    const props = AVG_PROPS[item.type];
    if (!props) throw new Error(`AVG: the preview does not know item type ${item.type}`);
    checkProps(item, props, `AVG ${item.type}`);
    const get = (key, fallback) => (item[key] === undefined ? fallback : ev(item[key], ctx));
    let node;
    if (item.type === "group") {
      node = document.createElementNS(SVG, "g");
      const px = get("pivotX", 0), py = get("pivotY", 0);
      // AVG: a transform string (SVG syntax) replaces the separate properties; they compose as
      // translate(tx, ty) translate(pivot) rotate scale translate(-pivot)
      node.setAttribute("transform", item.transform !== undefined ? get("transform", "") :
        `translate(${get("translateX", 0)},${get("translateY", 0)}) ` +
        `translate(${px},${py}) rotate(${get("rotation", 0)}) scale(${get("scaleX", 1)},${get("scaleY", 1)}) ` +
        `translate(${-px},${-py})`);
      for (const child of item.items || []) node.appendChild(avgItem(child, ctx));
    } else if (item.type === "path") {
      node = document.createElementNS(SVG, "path");
      node.setAttribute("d", get("pathData", ""));
      node.setAttribute("fill", get("fill", "none"));
      node.setAttribute("stroke", get("stroke", "none"));
      node.setAttribute("stroke-width", get("strokeWidth", 1));
      node.setAttribute("stroke-linecap", get("strokeLineCap", "butt"));
    } else {
      node = document.createElementNS(SVG, "text");
      node.setAttribute("x", get("x", 0));
      node.setAttribute("y", get("y", 0));
      node.setAttribute("font-size", get("fontSize", 40));
      node.setAttribute("fill", get("fill", "black"));
      node.setAttribute("text-anchor", get("textAnchor", "start"));
      node.setAttribute("font-weight", get("fontWeight", "normal"));
      node.setAttribute("font-family", "sans-serif");
      node.textContent = get("text", "");
    }
    return node;
  }
  function graphic(avg, values, ctx) {
    checkProps(avg, ["type", "version", "width", "height", "parameters", "items"], "AVG");
    const inner = Object.create(ctx || null);
    for (const param of avg.parameters || []) {
      inner[param.name] = values && param.name in values ? values[param.name] : param.default;
    }
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${avg.width} ${avg.height}`);
    for (const item of avg.items || []) svg.appendChild(avgItem(item, inner));
    return svg;
  }

  // -- components -> DOM ----------------------------------------------------------------------------
  function dimension(value, viewport) {
    if (value === undefined || value === "auto") return "";
    if (typeof value === "number") return `${value}px`;
    const match = /^(-?[\d.]+)(%|vw|vh|dp|px)?$/.exec(value);
    if (!match) throw new Error(`not a dimension: ${value}`);
    const n = Number(match[1]);
    if (match[2] === "%") return `${n}%`;
    if (match[2] === "vw") return `${(n * viewport.width) / 100}px`;
    if (match[2] === "vh") return `${(n * viewport.height) / 100}px`;
    return `${n}px`;
  }
  const FLEX = { start: "flex-start", end: "flex-end", center: "center", stretch: "stretch",
                 spaceBetween: "space-between", spaceAround: "space-around" };

  function inflate(component, ctx, host) {
    const allowed = COMPONENT_PROPS.common.concat(COMPONENT_PROPS[component.type] || []);
    if (!COMPONENT_PROPS[component.type]) throw new Error(`the preview does not know component ${component.type}`);
    checkProps(component, allowed, component.type);
    const inner = withBinds(ctx, component.bind, component.id ? host.state[component.id] : null);
    if (component.when !== undefined && !host.inflated(component.when, Boolean(ev(component.when, inner)))) return null;
    const get = (key, fallback) => (component[key] === undefined ? fallback : ev(component[key], inner));
    const display = get("display", "normal");    // dynamic, unlike `when`; a hidden component is still inflated
    if (display !== "normal" && display !== "none") throw new Error(`the preview does not know display ${display}`);
    const el = document.createElement(component.type === "TouchWrapper" ? "button" : "div");
    const style = el.style;
    style.boxSizing = "border-box";
    style.display = "flex";
    style.flexDirection = "column";
    style.position = "relative";
    style.flexShrink = String(get("shrink", 0));
    style.flexGrow = String(get("grow", 0));
    style.width = dimension(get("width"), host.viewport);
    style.height = dimension(get("height"), host.viewport);
    for (const side of ["Left", "Right", "Top", "Bottom"]) {
      style[`padding${side}`] = dimension(get(`padding${side}`, 0), host.viewport);
    }
    if (component.alignSelf) style.alignSelf = FLEX[get("alignSelf")];
    if (component.type === "Container") {
      style.flexDirection = get("direction", "column");
      style.alignItems = FLEX[get("alignItems", "stretch")];
      style.justifyContent = FLEX[get("justifyContent", "start")];
    } else if (component.type === "Frame") {
      style.background = get("backgroundColor", "transparent");
      style.borderRadius = dimension(get("borderRadius", 0), host.viewport);
    } else if (component.type === "TouchWrapper") {
      style.border = "none"; style.background = "none"; style.margin = "0"; style.cursor = "pointer";
      const press = component.onPress;
      el.addEventListener("click", () => host.sendEvent(press.map((c) => (c.arguments || []).map((a) => ev(a, inner)))));
    } else if (component.type === "Text") {
      const size = get("fontSize", 40);
      style.display = "block";
      style.fontSize = `${size}px`;
      style.lineHeight = "1.25";
      style.fontFamily = "sans-serif";
      style.fontWeight = get("fontWeight", "normal");
      style.color = get("color", "#FAFAFA");
      style.textAlign = get("textAlign", "auto") === "auto" ? "left" : get("textAlign");
      style.whiteSpace = "pre-wrap";
      style.overflow = "hidden";
      const lines = get("maxLines", 0);
      if (lines) { style.display = "-webkit-box"; style.webkitLineClamp = String(lines); style.webkitBoxOrient = "vertical"; }
      el.textContent = String(get("text", ""));
    } else if (component.type === "VectorGraphic") {
      const avg = host.graphics[get("source")];
      if (!avg) throw new Error(`no graphic named ${component.source}`);
      const values = {};
      for (const [name, value] of Object.entries(component.parameters || {})) values[name] = ev(value, inner);
      const svg = graphic(avg, values, inner);
      const align = get("align", "center") === "top" ? "xMidYMin" : "xMidYMid";
      svg.setAttribute("preserveAspectRatio", `${align} ${get("scale", "none") === "best-fit" ? "meet" : "none"}`);
      svg.style.width = "100%"; svg.style.height = "100%";
      el.appendChild(svg);
    }
    const children = [];
    const data = get("data");
    if (Array.isArray(data)) {
      data.forEach((entry, index) => {
        const each = Object.create(inner); each.data = entry; each.index = index;
        children.push([component.item || component.items[0], each]);
      });
    } else {
      for (const child of [].concat(component.items || component.item || [])) children.push([child, inner]);
    }
    for (const [child, childCtx] of children) {
      const node = inflate(child, childCtx, host);
      if (node) {
        if (component.type !== "Container") node.style.flexGrow = node.style.flexGrow || "1";
        el.appendChild(node);
      }
    }
    return display === "none" ? null : el;
  }

  // -- commands: Sequential of SetValue, each after its delay -----------------------------------------
  function schedule(commands, ctx) {
    const steps = [];
    let at = 0;
    const walk = (list) => {
      for (const command of [].concat(list)) {
        at += Number(ev(command.delay || 0, ctx));
        if (command.type === "Sequential") walk(command.commands);
        else if (command.type === "SetValue") steps.push({ at, command });
        else throw new Error(`the preview does not run command ${command.type}`);
      }
    };
    walk(commands);
    return steps;
  }

  // The screen as it is `ms` after the document appeared (the commands start with it).
  function render(screen, ms, mount, sendEvent) {
    const render = screen.directives.find((d) => d.type === "Alexa.Presentation.APL.RenderDocument");
    const execute = screen.directives.filter((d) => d.type === "Alexa.Presentation.APL.ExecuteCommands");
    const doc = render.document;
    const base = Object.assign(Object.create(null), { viewport: strict(screen.viewport), elapsedTime: ms, Math: MATH });
    base[doc.mainTemplate.parameters[0]] = strict(render.datasources);
    // APL evaluates `when` once, as the document inflates: note each one then, before any command has run,
    // and refuse a document whose `when` would have changed since (what changes must use `display`)
    const whens = [];
    inflate(doc.mainTemplate.item, Object.assign(Object.create(base), { elapsedTime: 0 }),
            { viewport: screen.viewport, graphics: doc.graphics || {}, state: {}, sendEvent: () => {},
              inflated: (code, value) => { whens.push([code, value]); return value; } });
    let seen = 0;
    const inflated = (code, value) => {
      const [then, was] = whens[seen++] || [];
      if (then !== code || was !== value) {
        throw new Error(`${code} is ${value} now but was ${was} when the document inflated: use display`);
      }
      return value;
    };
    const state = {};
    for (const directive of execute) {
      for (const step of schedule(directive.commands, base)) {
        if (step.at > ms) break;
        const c = step.command;
        state[c.componentId] = state[c.componentId] || {};
        state[c.componentId][c.property] = ev(c.value, Object.assign(Object.create(base), { elapsedTime: step.at }));
      }
    }
    const host = { viewport: screen.viewport, graphics: doc.graphics || {}, state, inflated,
                   sendEvent: sendEvent || (() => {}) };
    const root = inflate(doc.mainTemplate.item, base, host);
    root.style.width = `${screen.viewport.width}px`;
    root.style.height = `${screen.viewport.height}px`;
    root.style.overflow = "hidden";
    mount.replaceChildren(root);
  }

  function duration(screen) {
    let end = 0;
    for (const d of screen.directives.filter((d) => d.type === "Alexa.Presentation.APL.ExecuteCommands")) {
      for (const step of schedule(d.commands, Object.create(null))) end = Math.max(end, step.at);
    }
    return end;
  }

  return { render, graphic, duration };
})();

if (typeof SCREEN !== "undefined") {
  const mount = document.getElementById("screen");
  const shown = document.getElementById("touched");
  const touched = (args) => { if (shown) shown.textContent = `UserEvent ${JSON.stringify(args.flat())}`; };
  const at = /[#&]t=([\d.]+)/.exec(location.hash);
  try {
    if (at) {
      APL.render(SCREEN, Number(at[1]) * 1000, mount, touched);
    } else {   // play it out as a device would, from the top
      const start = performance.now();
      const end = APL.duration(SCREEN) + 60000;
      const tick = () => {
        const ms = performance.now() - start;
        APL.render(SCREEN, ms, mount, touched);
        if (ms < end) setTimeout(tick, 100);
      };
      tick();
    }
  } catch (error) {
    mount.textContent = `preview error: ${error.message}`;
    mount.style.color = "red";
    document.title = "preview error";
    throw error;
  }
}
