import { ROLE_LABELS, type Role } from "@/lib/auth/roles";

const ROLE_STYLES: Record<Role, string> = {
  admin: "bg-violet-50 text-violet-700 ring-violet-200",
  manager: "bg-blue-50 text-blue-700 ring-blue-200",
  viewer: "bg-slate-100 text-slate-700 ring-slate-200",
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span data-role={role} className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${ROLE_STYLES[role]}`}>
      {ROLE_LABELS[role]}
    </span>
  );
}

export function StatusBadge({ active }: { active: boolean }) {
  return active ? (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap text-xs font-medium text-emerald-700">
      <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-500" />
      Active
    </span>
  ) : (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap text-xs font-medium text-slate-500">
      <span aria-hidden="true" className="size-1.5 rounded-full bg-slate-400" />
      Deactivated
    </span>
  );
}
