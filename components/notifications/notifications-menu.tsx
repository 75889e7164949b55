"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { badgeCount, formatAgo } from "@/lib/alerts/time";
import { useMarkRead } from "@/lib/alerts/mutations";
import { notificationsOptions } from "@/lib/alerts/query-options";
import { InlineQueryError, LoadingLines } from "../query-state";

function Bell() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 8a6 6 0 1112 0c0 7 3 8 3 8H3s3-1 3-8M10.3 20a2 2 0 003.4 0" />
    </svg>
  );
}

/**
 * The notifications menu: a bell with the unread count (refreshed every half minute) that
 * opens the latest notifications. Escape or a click outside closes it; focus returns to the bell.
 */
export function NotificationsMenu({ placement }: { placement: "sidebar" | "header" }) {
  const [open, setOpen] = useState(false);
  const notifications = useQuery(notificationsOptions());
  const markRead = useMarkRead();
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      const target = e.target;
      if (target instanceof Node && !panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    panelRef.current?.querySelector<HTMLElement>("a, button")?.focus();
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const unread = notifications.data?.unread ?? 0;
  const items = notifications.data?.items ?? [];
  const panelPosition =
    placement === "sidebar" ? "left-0 top-full mt-2 w-[min(24rem,calc(100vw-2rem))]" : "fixed inset-x-2 top-[3.75rem] max-h-[calc(100dvh-5rem)]";

  return (
    <div className={placement === "sidebar" ? "relative" : ""}>
      <button
        ref={buttonRef}
        type="button"
        onClick={() => {
          setNow(Date.now());
          setOpen((v) => !v);
        }}
        aria-expanded={open}
        aria-controls={panelId}
        aria-haspopup="dialog"
        className="relative rounded-md p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        data-testid="notifications-button"
      >
        <span className="sr-only">{unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}</span>
        <Bell />
        {unread > 0 ? (
          <span
            aria-hidden="true"
            data-testid="notifications-unread"
            className="absolute -right-0.5 -top-0.5 min-w-[1.15rem] rounded-full bg-red-600 px-1 text-center text-[0.68rem] font-semibold leading-[1.15rem] text-white ring-2 ring-white"
          >
            {badgeCount(unread)}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          ref={panelRef}
          id={panelId}
          role="dialog"
          aria-label="Notifications"
          className={`absolute z-50 flex flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xl ${panelPosition}`}
        >
          <div className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
            <h2 className="text-sm font-semibold text-slate-900">
              Notifications{unread > 0 ? <span className="ml-1.5 font-normal text-slate-500">· {unread} unread</span> : null}
            </h2>
            {unread > 0 ? (
              <button type="button" onClick={() => markRead.mutate("all")} disabled={markRead.isPending} className="text-sm font-medium text-blue-700 hover:underline disabled:text-slate-400">
                Mark all read
              </button>
            ) : null}
          </div>
          <div className="max-h-[26rem] overflow-y-auto">
            {notifications.isPending ? (
              <LoadingLines label="Loading notifications…" className="p-4" />
            ) : notifications.isError ? (
              <InlineQueryError what="your notifications" error={notifications.error} onRetry={() => void notifications.refetch()} className="m-4" />
            ) : items.length === 0 ? (
              <div className="px-4 py-8 text-center">
                <p className="text-sm font-medium text-slate-900">You are all caught up</p>
                <p className="mt-1 text-sm text-slate-500">Alerts on your accounts show up here: score drops, renewals coming up, trials ending.</p>
              </div>
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="notifications-list">
                {items.map((n) => (
                  <li key={n.id}>
                    <Link
                      href={n.link}
                      onClick={() => {
                        if (n.readAt === null) markRead.mutate([n.id]);
                        setOpen(false);
                      }}
                      className={`block px-4 py-3 hover:bg-slate-50 focus-visible:bg-slate-50 ${n.readAt === null ? "bg-blue-50/50" : ""}`}
                    >
                      <span className="flex items-start gap-2">
                        <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${n.readAt === null ? "bg-blue-600" : "bg-transparent"}`} />
                        <span className="min-w-0">
                          <span className="block text-sm font-medium text-slate-900">
                            {n.title}
                            {n.readAt === null ? <span className="sr-only"> (unread)</span> : null}
                          </span>
                          <span className="mt-0.5 line-clamp-2 block text-sm text-slate-600">{n.body}</span>
                          <span className="mt-1 block text-xs text-slate-400">{formatAgo(n.createdAt, now)}</span>
                        </span>
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
}
