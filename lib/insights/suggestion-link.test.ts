import { describe, expect, it } from "vitest";
import { decodeSuggestedWeights, encodeSuggestedWeights } from "./suggestion-link";

describe("suggested weights in the editor's URL", () => {
  it("round-trip as the editor's text, to the hundredth", () => {
    const text = encodeSuggestedWeights([
      { key: "session_started", hundredths: 41 },
      { key: "complaint_escalated", hundredths: -1914 },
      { key: "link_clicked", hundredths: 0 },
      { key: "odd:key,1", hundredths: 250 },
    ]);
    expect(text).toBe("session_started:0.41,complaint_escalated:-19.14,link_clicked:0,odd%3Akey%2C1:2.5");
    expect(decodeSuggestedWeights(text)).toEqual({ session_started: "0.41", complaint_escalated: "-19.14", link_clicked: "0", "odd:key,1": "2.5" });
  });

  it("drop what is not a weight", () => {
    expect(decodeSuggestedWeights("a:1,b:nope,c,:3,d:5000,e:%E0%A4%A,f:-2.555")).toEqual({ a: "1", "f": "-2.56" });
    expect(decodeSuggestedWeights(null)).toEqual({});
  });
});
