import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SHORT_LIST_SHOWN, ShortList } from "./ShortList";

const names = (count: number) => Array.from({ length: count }, (_, index) => `ws-${index + 1}`);
const entries = (html: string) => [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((match) => match[1]);

describe("ShortList", () => {
  it("shows a short list whole, with no count", () => {
    const html = renderToStaticMarkup(<ShortList items={names(3)} keyOf={(name) => name} render={(name) => name} />);
    expect(entries(html)).toEqual(["ws-1", "ws-2", "ws-3"]);
  });

  it("names the first SHORT_LIST_SHOWN of thousands and counts the rest", () => {
    const html = renderToStaticMarkup(<ShortList items={names(2000)} keyOf={(name) => name} render={(name) => name} />);
    const shown = entries(html);
    expect(shown).toHaveLength(SHORT_LIST_SHOWN + 1);
    expect(shown.slice(0, 2)).toEqual(["ws-1", "ws-2"]);
    expect(shown.at(-2)).toBe(`ws-${SHORT_LIST_SHOWN}`);
    expect(shown.at(-1)).toBe(`and ${(2000 - SHORT_LIST_SHOWN).toLocaleString("en")} more`);
  });

  it("a list of exactly SHORT_LIST_SHOWN has no count line", () => {
    const html = renderToStaticMarkup(<ShortList items={names(SHORT_LIST_SHOWN)} keyOf={(name) => name} render={(name) => name} />);
    expect(entries(html)).toHaveLength(SHORT_LIST_SHOWN);
  });
});
