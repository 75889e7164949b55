import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

/** `npx vitest run -c vitest.midnight.config.ts FILE`: FILE with UTC midnight passing between its load and its tests (test/midnight-setup.ts). */
export default mergeConfig(base, defineConfig({ test: { setupFiles: ["test/midnight-setup.ts"] } }));
