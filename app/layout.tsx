import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { Providers } from "@/components/providers";
import { resolvePageFrame } from "@/lib/auth/server/page-frame";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Customer Engagement Score", template: "%s · Customer Engagement Score" },
  description: "Engagement scores your customer-success team can trust, explain and act on.",
  // In public/, with the icons browsers and phones ask for, served without a session (proxy.ts).
  manifest: "/manifest.webmanifest",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/** Every page passes the sign-in and role check here first (see lib/auth/server/page-frame.ts). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const frame = await resolvePageFrame();
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="font-sans">
        <Providers>
          {frame.kind === "auth" ? (
            children
          ) : (
            <AppShell user={{ name: frame.user.name, email: frame.user.email, role: frame.user.role }}>{children}</AppShell>
          )}
        </Providers>
      </body>
    </html>
  );
}
