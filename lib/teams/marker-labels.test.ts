import { describe, expect, it } from "vitest";
import { LABEL_CHAR_PX, layoutMarkerLabels, type MarkerLabelPlacement } from "./marker-labels";

/** The horizontal extent of a placed label at a plot width, as the layout reckons it. */
function extent(p: MarkerLabelPlacement, width: number): [number, number] {
  const w = p.text.length * LABEL_CHAR_PX + 8;
  const x = p.position * width;
  return p.anchor === "start" ? [x, x + w] : [x - w, x];
}

describe("layoutMarkerLabels", () => {
  it("puts labels that would overlap on different rows", () => {
    const { placements, rows } = layoutMarkerLabels(
      [
        { key: "docs", position: 0.6, text: "Documentation overhaul" },
        { key: "v2", position: 0.62, text: "Rules v2" },
        { key: "far", position: 0.1, text: "Webinar series" },
      ],
      600,
    );
    expect(rows).toBe(2);
    const byKey = new Map(placements.map((p) => [p.keys[0], p]));
    expect(byKey.get("far")?.row).toBe(0);
    expect(byKey.get("docs")?.row).not.toBe(byKey.get("v2")?.row);
    // No two labels in one row overlap.
    for (const a of placements) {
      for (const b of placements) {
        if (a === b || a.row !== b.row) continue;
        const [a0, a1] = extent(a, 600);
        const [b0, b1] = extent(b, 600);
        expect(a1 <= b0 || a0 >= b1).toBe(true);
      }
    }
  });

  it("names markers of the same day in one label", () => {
    const { placements, rows } = layoutMarkerLabels(
      [
        { key: "v3", position: 1, text: "Rules v3" },
        { key: "v2", position: 1, text: "Rules v2" },
      ],
      400,
    );
    expect(rows).toBe(1);
    expect(placements).toEqual([{ keys: ["v2", "v3"], position: 1, text: "Rules v2 · Rules v3", row: 0, anchor: "end" }]);
  });

  it("keeps labels far apart on one row, running inward from the edges", () => {
    const { placements, rows } = layoutMarkerLabels(
      [
        { key: "a", position: 0.05, text: "Launch" },
        { key: "b", position: 0.95, text: "Pricing change" },
      ],
      800,
    );
    expect(rows).toBe(1);
    expect(placements.map((p) => p.anchor)).toEqual(["start", "end"]);
  });

  it("needs more rows on a narrow (phone) plot than on a wide one", () => {
    const items = [
      { key: "a", position: 0.3, text: "Documentation overhaul" },
      { key: "b", position: 0.5, text: "Onboarding emails" },
    ];
    expect(layoutMarkerLabels(items, 1000).rows).toBe(1);
    expect(layoutMarkerLabels(items, 300).rows).toBe(2);
  });
});
