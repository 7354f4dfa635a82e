/**
 * The overview's HTML page as a real browser renders it: headless Chromium (Debian's package) loads the page from a
 * file, the test asks where the matrix cells are, takes a screenshot and reads the pixels inside the cells: the
 * expiring trial's cell must be red, the expired evaluation's dark red, a later expiry green, a cell without
 * license white. It also records every request the page made: only the page itself (nothing to fetch at view
 * time). CI installs chromium (.ci/run); without it this test is skipped with a loud warning.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderOverviewHtml, STATUS_COLOURS } from "../../overview";
import type { ManagedFixture } from "../drift/driftFixture";
import { startTestbed, type ProviderTestbed } from "../provider/providerHarness";
import { chromiumAvailable, CHROMIUM, DecodedPng, HeadlessChromium } from "./headlessChromium";
import { createOverviewFixture, overviewOf } from "./overviewFixture";

jest.setTimeout(120_000);

const available = chromiumAvailable();
if (!available) {
  console.warn(
    `\n${"!".repeat(100)}\n!! ${CHROMIUM} is missing: the overview page's rendering test is SKIPPED. ` +
      "Install it: apt-get install -y chromium (.ci/run does).\n" +
      `${"!".repeat(100)}\n`,
  );
}

interface CellBox {
  readonly customer: string;
  readonly target: string;
  readonly status: string | null;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

(available ? describe : describe.skip)("the overview page in headless Chromium", () => {
  let testbed: ProviderTestbed;
  let fixture: ManagedFixture;
  let browser: HeadlessChromium;
  let dir: string;

  beforeAll(async () => {
    testbed = await startTestbed("3");
    fixture = await createOverviewFixture(testbed);
    browser = await HeadlessChromium.launch();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-distr-overview-page-"));
  });
  afterAll(async () => {
    await browser?.close();
    await testbed?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("colours each customer x application cell by days to expiry, and fetches nothing", async () => {
    const page = path.join(dir, "licenses.html");
    fs.writeFileSync(page, renderOverviewHtml(await overviewOf(testbed, fixture)));
    const url = `file://${page}`;
    const { sessionId, requests } = await browser.open(url, 1400, 900);
    const cells = await browser.evaluate<CellBox[]>(
      sessionId,
      `[...document.querySelectorAll("table.matrix td")].map((td) => {
         const r = td.getBoundingClientRect();
         return { customer: td.dataset.customer, target: td.dataset.target, status: td.dataset.status ?? null,
                  x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
       })`,
    );
    const png = await browser.screenshot(sessionId);
    const shot = path.join(os.tmpdir(), "pulumi-distr-overview-page.png");
    fs.writeFileSync(shot, png);
    const image = DecodedPng.decode(png);
    console.log(`overview page screenshot: ${shot} (${image.width}x${image.height}, ${cells.length} matrix cells)`);

    const cell = (customer: string, target: string) => {
      const found = cells.find((c) => c.customer === customer && c.target === target);
      if (!found)
        throw new Error(
          `no cell ${customer} x ${target} among ${cells.map((c) => `${c.customer} x ${c.target}`).join(", ")}`,
        );
      expect(found.width).toBeGreaterThan(20);
      expect(found.height).toBeGreaterThan(20);
      // Inside the cell's padding (12px): the background, not the text.
      return { ...found, colour: image.colourAt(found.x + 5, found.y + 5) };
    };
    const trial = cell("Umbrella", "application:hello-distr");
    expect(trial.status).toBe("expiring");
    expect(trial.colour).toBe(STATUS_COLOURS.expiring.background);
    expect(trial.colour).toBe("#dc2626");
    const evaluation = cell("Globex", "application:hello-distr");
    expect(evaluation.status).toBe("expired");
    expect(evaluation.colour).toBe("#7f1d1d");
    const images = cell("ACME Corp", "artifact:hello-distr/backend");
    expect(images.status).toBe("ok");
    expect(images.colour).toBe("#16a34a");
    const helm = cell("Globex", "application:hello-distr-helm");
    expect(helm.status).toBe("no-expiry");
    expect(helm.colour).toBe("#cbd5e1");
    const nothing = cell("Initech", "application:hello-distr");
    expect(nothing.status).toBeNull();
    expect(nothing.colour).toBe("#ffffff");
    // ACME's hello-distr cell holds acme-pro (ok) and acme-legacy (expiring in 30 days): the more urgent colour.
    expect(cell("ACME Corp", "application:hello-distr").colour).toBe("#dc2626");

    expect(requests).toEqual([url]);
  });
});
