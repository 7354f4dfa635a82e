/**
 * A real headless Chromium (Debian's `chromium` package) driven through the DevTools protocol over a pipe
 * (`--remote-debugging-pipe`: fd 3 takes commands, fd 4 gives answers, NUL-separated JSON; no port opened). Enough to
 * load a page, ask where an element is, take a screenshot, and see every request the page made. The flags are the
 * ones known to work on this kind of machine (/work/.library/env/machines/go.md, "Known to work").
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inflateSync } from "node:zlib";
import type { Readable, Writable } from "node:stream";

export const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";

/** Whether Chromium is installed (CI installs it: .ci/run). */
export function chromiumAvailable(): boolean {
  if (!fs.existsSync(CHROMIUM)) return false;
  const probe = spawnSync(CHROMIUM, ["--version"], { encoding: "utf8" });
  return probe.status === 0;
}

interface Pending {
  resolve(value: Record<string, unknown>): void;
  reject(error: Error): void;
}

export class HeadlessChromium {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: Array<(method: string, params: Record<string, unknown>, sessionId?: string) => void> = [];
  private buffer = "";

  private constructor(
    private readonly child: ChildProcess,
    private readonly userDataDir: string,
    private readonly input: Writable,
  ) {
    const output = child.stdio[4] as Readable;
    output.setEncoding("utf8");
    output.on("data", (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf("\0")) !== -1) {
        const message = JSON.parse(this.buffer.slice(0, end)) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: { message: string };
          method?: string;
          params?: Record<string, unknown>;
          sessionId?: string;
        };
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined) {
          const waiting = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) waiting?.reject(new Error(`DevTools: ${message.error.message}`));
          else waiting?.resolve(message.result ?? {});
        } else if (message.method) {
          for (const listener of this.listeners) listener(message.method, message.params ?? {}, message.sessionId);
        }
      }
    });
  }

  static async launch(): Promise<HeadlessChromium> {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-chromium-"));
    const child = spawn(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        `--user-data-dir=${userDataDir}`,
        "--remote-debugging-pipe",
        "about:blank",
      ],
      { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const browser = new HeadlessChromium(child, userDataDir, child.stdio[3] as Writable);
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) => reject(new Error(`chromium exited (${code}): ${stderr.slice(-2000)}`))),
    );
    await Promise.race([browser.send("Browser.getVersion"), exited]);
    return browser;
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  on(listener: (method: string, params: Record<string, unknown>, sessionId?: string) => void): void {
    this.listeners.push(listener);
  }

  /** Opens `url` in a new tab of the given size; resolves when the load event fired. Returns the tab's session. */
  async open(url: string, width: number, height: number): Promise<{ sessionId: string; requests: string[] }> {
    const { targetId } = (await this.send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
    const { sessionId } = (await this.send("Target.attachToTarget", { targetId, flatten: true })) as {
      sessionId: string;
    };
    const requests: string[] = [];
    const loaded = new Promise<void>((resolve) =>
      this.on((method, params, session) => {
        if (session !== sessionId) return;
        if (method === "Network.requestWillBeSent") requests.push((params["request"] as { url: string }).url);
        if (method === "Page.loadEventFired") resolve();
      }),
    );
    await this.send("Network.enable", {}, sessionId);
    await this.send("Page.enable", {}, sessionId);
    await this.send(
      "Emulation.setDeviceMetricsOverride",
      { width, height, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    await this.send("Page.navigate", { url }, sessionId);
    await loaded;
    return { sessionId, requests };
  }

  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const result = (await this.send("Runtime.evaluate", { expression, returnByValue: true }, sessionId)) as {
      result: { value: T };
    };
    return result.result.value;
  }

  async screenshot(sessionId: string): Promise<Buffer> {
    const { data } = (await this.send(
      "Page.captureScreenshot",
      { format: "png", captureBeyondViewport: true },
      sessionId,
    )) as {
      data: string;
    };
    return Buffer.from(data, "base64");
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    try {
      await Promise.race([this.send("Browser.close"), new Promise((resolve) => setTimeout(resolve, 2000))]);
    } catch {
      // the browser may close the pipe before it answers
    }
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

/** A decoded 8-bit RGB or RGBA PNG (what Chromium's screenshots are): the colour of one pixel. */
export class DecodedPng {
  private constructor(
    readonly width: number,
    readonly height: number,
    private readonly channels: number,
    private readonly pixels: Buffer,
  ) {}

  static decode(png: Buffer): DecodedPng {
    if (png.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
    let offset = 8;
    let width = 0;
    let height = 0;
    let channels = 0;
    const data: Buffer[] = [];
    while (offset < png.length) {
      const length = png.readUInt32BE(offset);
      const type = png.toString("ascii", offset + 4, offset + 8);
      const chunk = png.subarray(offset + 8, offset + 8 + length);
      if (type === "IHDR") {
        width = chunk.readUInt32BE(0);
        height = chunk.readUInt32BE(4);
        const depth = chunk[8];
        const colourType = chunk[9];
        const interlace = chunk[12];
        if (depth !== 8 || (colourType !== 2 && colourType !== 6) || interlace !== 0) {
          throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${interlace}`);
        }
        channels = colourType === 6 ? 4 : 3;
      } else if (type === "IDAT") data.push(chunk);
      offset += 12 + length;
    }
    const raw = inflateSync(Buffer.concat(data));
    const stride = width * channels;
    const pixels = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y += 1) {
      const filter = raw[y * (stride + 1)];
      const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
      for (let x = 0; x < stride; x += 1) {
        const left = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
        const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
        const upLeft = y > 0 && x >= channels ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
        const value = line[x] ?? 0;
        let predicted: number;
        switch (filter) {
          case 0:
            predicted = 0;
            break;
          case 1:
            predicted = left;
            break;
          case 2:
            predicted = up;
            break;
          case 3:
            predicted = (left + up) >> 1;
            break;
          case 4: {
            const p = left + up - upLeft;
            const pa = Math.abs(p - left);
            const pb = Math.abs(p - up);
            const pc = Math.abs(p - upLeft);
            predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
            break;
          }
          default:
            throw new Error(`unknown PNG filter ${filter}`);
        }
        pixels[y * stride + x] = (value + predicted) & 0xff;
      }
    }
    return new DecodedPng(width, height, channels, pixels);
  }

  /** "#rrggbb" of the pixel at (x, y). */
  colourAt(x: number, y: number): string {
    const at = (Math.round(y) * this.width + Math.round(x)) * this.channels;
    const hex = (index: number) => (this.pixels[at + index] ?? 0).toString(16).padStart(2, "0");
    return `#${hex(0)}${hex(1)}${hex(2)}`;
  }
}
