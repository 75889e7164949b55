import type { PublicOrigin } from "../http/public-origin";

/**
 * The settings document analytics.js (@segment/analytics-next) fetches when it loads, from
 * `{cdnURL}/v1/projects/{writeKey}/settings` (its `CDNSettings`). It sends every call to the
 * `Segment.io` integration's `{protocol}://{apiHost}/{t|i|g|p|s|a}`, so apiHost is this
 * server's `/v1` as the browser reaches it. No other destination is listed (nothing else is
 * loaded into the customer's page), no remote plugins or middleware, and the library's own
 * usage reports (`metrics`, and the signals auto-instrumentation) are switched off: with a
 * sample rate of 0 it never sends one. Should one come anyway (a page that sets apiHost in
 * its load options), metrics.host points it at /v1/m, which accepts and discards it.
 */
export interface BrowserSettings {
  integrations: {
    "Segment.io": {
      apiKey: string;
      apiHost: string;
      protocol: PublicOrigin["protocol"];
      addBundledMetadata: boolean;
      unbundledIntegrations: string[];
      maybeBundledConfigIds: Record<string, string[]>;
    };
  };
  plan: { track: { __default: { enabled: boolean; integrations: Record<string, boolean> } } };
  metrics: { sampleRate: number; host: string };
  remotePlugins: [];
  enabledMiddleware: Record<string, boolean>;
  middlewareSettings: Record<string, never>;
  legacyVideoPluginsEnabled: false;
  analyticsNextEnabled: true;
  edgeFunction: Record<string, never>;
  autoInstrumentationSettings: { sampleRate: number };
  consentSettings: { allCategories: string[]; hasUnmappedDestinations: boolean };
}

export function browserSettings(writeKey: string, origin: PublicOrigin): BrowserSettings {
  const apiHost = `${origin.host}/v1`;
  return {
    integrations: {
      "Segment.io": {
        apiKey: writeKey,
        apiHost,
        protocol: origin.protocol,
        addBundledMetadata: true,
        unbundledIntegrations: [],
        maybeBundledConfigIds: {},
      },
    },
    plan: { track: { __default: { enabled: true, integrations: {} } } },
    metrics: { sampleRate: 0, host: apiHost },
    remotePlugins: [],
    enabledMiddleware: {},
    middlewareSettings: {},
    legacyVideoPluginsEnabled: false,
    analyticsNextEnabled: true,
    edgeFunction: {},
    autoInstrumentationSettings: { sampleRate: 0 },
    consentSettings: { allCategories: [], hasUnmappedDestinations: false },
  };
}
