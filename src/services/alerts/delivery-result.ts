/** What an endpoint made of one attempt. */
export interface DeliveryResult {
  ok: boolean;
  /** The HTTP status, or the SMTP reply code; null when none came (no connection, a timeout). */
  statusCode: number | null;
  error: string | null;
}
