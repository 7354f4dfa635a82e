/**
 * Distr's check of a license template (section 8.7): the Go `text/template` must parse and render, with an empty
 * Stripe subscription (`hasItem` false, `itemQuantity` 0), to valid JSON. This renders the subset such templates
 * use: text, comments, `if`/`else if`/`else`/`end`, literals, parentheses, `hasItem`, `itemQuantity` and Go's
 * comparison and logic builtins. Anything else (fields, `range`, `with`, pipes) is refused with a message saying
 * the local Distr does not model it, never silently accepted.
 */

export type TemplateResult = { ok: true; rendered: string } | { ok: false; error: string };

type Value = string | number | boolean | null;

class TemplateFailure extends Error {}

interface Action {
  readonly kind: "text" | "action";
  readonly text: string;
  readonly line: number;
}

/** Splits into text and `{{ … }}` actions, applying the `{{-`/`-}}` trim markers. */
function lex(source: string): Action[] {
  const parts: Action[] = [];
  let rest = source;
  let line = 1;
  while (rest.length > 0) {
    const open = rest.indexOf("{{");
    if (open < 0) {
      parts.push({ kind: "text", text: rest, line });
      break;
    }
    let text = rest.slice(0, open);
    const close = rest.indexOf("}}", open + 2);
    if (close < 0) throw new TemplateFailure(`template: payload:${line}: unclosed action`);
    let inner = rest.slice(open + 2, close);
    if (inner.startsWith("- ")) {
      text = text.replace(/\s+$/, "");
      inner = inner.slice(1);
    }
    let trimAfter = false;
    if (inner.endsWith(" -")) {
      trimAfter = true;
      inner = inner.slice(0, -1);
    }
    parts.push({ kind: "text", text, line });
    line += (rest.slice(0, open).match(/\n/g) ?? []).length;
    parts.push({ kind: "action", text: inner.trim(), line });
    line += (inner.match(/\n/g) ?? []).length;
    rest = rest.slice(close + 2);
    if (trimAfter) {
      const trimmed = rest.replace(/^\s+/, "");
      line += (rest.slice(0, rest.length - trimmed.length).match(/\n/g) ?? []).length;
      rest = trimmed;
    }
  }
  return parts;
}

type Token = { kind: "string" | "number" | "ident" | "open" | "close"; text: string };

function tokenize(action: string, line: number): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\()|(\))|(\S))/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(action)) !== null && match[0].trim() !== "") {
    if (match[1] !== undefined) tokens.push({ kind: "string", text: JSON.parse(match[1]) as string });
    else if (match[2] !== undefined) tokens.push({ kind: "string", text: match[2].slice(1, -1) });
    else if (match[3] !== undefined) tokens.push({ kind: "number", text: match[3] });
    else if (match[4] !== undefined) tokens.push({ kind: "ident", text: match[4] });
    else if (match[5] !== undefined) tokens.push({ kind: "open", text: "(" });
    else if (match[6] !== undefined) tokens.push({ kind: "close", text: ")" });
    else throw unsupported(line, `${JSON.stringify(match[7])} in an action`);
  }
  return tokens;
}

function unsupported(line: number, what: string): TemplateFailure {
  return new TemplateFailure(`template: payload:${line}: local Distr does not model ${what}`);
}

function truthy(value: Value): boolean {
  return !(value === false || value === 0 || value === "" || value === null);
}

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  // An empty subscription has no items.
  hasItem: () => false,
  itemQuantity: () => 0,
  not: ([a]) => !truthy(a ?? null),
  and: (args) => args.find((a) => !truthy(a)) ?? args[args.length - 1] ?? null,
  or: (args) => args.find((a) => truthy(a)) ?? args[args.length - 1] ?? null,
  eq: ([a, ...rest]) => rest.some((b) => b === a),
  ne: ([a, b]) => a !== b,
  lt: ([a, b]) => (a ?? 0) < (b ?? 0),
  le: ([a, b]) => (a ?? 0) <= (b ?? 0),
  gt: ([a, b]) => (a ?? 0) > (b ?? 0),
  ge: ([a, b]) => (a ?? 0) >= (b ?? 0),
  print: (args) => args.map((a) => (a === null ? "<nil>" : String(a))).join(""),
};

/** Evaluates a command: a literal, or a function applied to its arguments. */
function evaluate(tokens: Token[], line: number): Value {
  let position = 0;
  const operand = (): Value => {
    const token = tokens[position++];
    if (token === undefined) throw new TemplateFailure(`template: payload:${line}: missing value for command`);
    if (token.kind === "string") return token.text;
    if (token.kind === "number") return Number(token.text);
    if (token.kind === "open") {
      const inner: Value = command(true);
      if (tokens[position++]?.kind !== "close")
        throw new TemplateFailure(`template: payload:${line}: unclosed left paren`);
      return inner;
    }
    if (token.kind === "ident") {
      if (token.text === "true") return true;
      if (token.text === "false") return false;
      if (token.text === "nil") return null;
      const fn = FUNCTIONS[token.text];
      if (!fn)
        throw new TemplateFailure(`template: payload:${line}: function ${JSON.stringify(token.text)} not defined`);
      return fn([]);
    }
    throw new TemplateFailure(`template: payload:${line}: unexpected ")" in operand`);
  };
  const command = (nested: boolean): Value => {
    const head = tokens[position];
    if (head?.kind === "ident" && FUNCTIONS[head.text]) {
      position++;
      const args: Value[] = [];
      while (position < tokens.length && tokens[position]?.kind !== "close") args.push(operand());
      return FUNCTIONS[head.text]!(args);
    }
    const value = operand();
    if (!nested && position < tokens.length) throw unsupported(line, "a command with arguments that is no function");
    return value;
  };
  const value = command(false);
  if (position < tokens.length) throw unsupported(line, "this action");
  return value;
}

interface Frame {
  /** Whether output is on in the enclosing frame. */
  readonly outer: boolean;
  /** Whether a branch of this if has been taken. */
  taken: boolean;
  active: boolean;
}

export function renderPayloadTemplate(source: string): TemplateResult {
  try {
    const parts = lex(source);
    let out = "";
    const stack: Frame[] = [];
    const emitting = () => stack.length === 0 || stack[stack.length - 1]!.active;
    for (const part of parts) {
      if (part.kind === "text") {
        if (emitting()) out += part.text;
        continue;
      }
      const action = part.text;
      if (action.startsWith("/*")) continue;
      const [keyword] = action.split(/\s+/, 1);
      if (keyword === "if") {
        const condition = truthy(evaluate(tokenize(action.slice(2), part.line), part.line));
        const outer = emitting();
        stack.push({ outer, taken: condition, active: outer && condition });
      } else if (keyword === "else") {
        const frame = stack[stack.length - 1];
        if (!frame) throw new TemplateFailure(`template: payload:${part.line}: unexpected {{else}}`);
        const rest = action.slice(4).trim();
        if (rest.startsWith("if ")) {
          const condition = !frame.taken && truthy(evaluate(tokenize(rest.slice(3), part.line), part.line));
          frame.active = frame.outer && condition;
          frame.taken ||= condition;
        } else {
          frame.active = frame.outer && !frame.taken;
          frame.taken = true;
        }
      } else if (keyword === "end") {
        if (!stack.pop()) throw new TemplateFailure(`template: payload:${part.line}: unexpected {{end}}`);
      } else if (["range", "with", "define", "template", "block", "break", "continue"].includes(keyword ?? "")) {
        throw unsupported(part.line, `{{${keyword}}}`);
      } else if (action.startsWith(".") || action.startsWith("$") || action.includes("|")) {
        throw unsupported(part.line, "fields, variables or pipes");
      } else {
        const value = evaluate(tokenize(action, part.line), part.line);
        if (emitting()) out += value === null ? "<no value>" : String(value);
      }
    }
    if (stack.length > 0)
      throw new TemplateFailure(`template: payload:${parts[parts.length - 1]?.line ?? 1}: unexpected EOF`);
    return { ok: true, rendered: out };
  } catch (error) {
    if (error instanceof TemplateFailure)
      return { ok: false, error: `failed to parse payload template: ${error.message}` };
    throw error;
  }
}

/** Distr's whole check: parse, render, valid JSON; the error text after `bad request: invalid payload template: `. */
export function validatePayloadTemplate(source: string): string | undefined {
  const result = renderPayloadTemplate(source);
  if (!result.ok) return result.error;
  try {
    JSON.parse(result.rendered);
  } catch {
    return "rendered payload template is not valid JSON";
  }
  return undefined;
}
