import { BAND_INFO, type Band } from "@/lib/scoring/bands";
import { BAND_CLASSES } from "./band-style";

export function BandBadge({ band, className = "" }: { band: Band; className?: string }) {
  return (
    <span
      data-band={band}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${BAND_CLASSES[band].badge} ${className}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${BAND_CLASSES[band].dot}`} />
      {BAND_INFO[band].label}
    </span>
  );
}
