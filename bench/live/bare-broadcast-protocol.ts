// Messages between the bench and the bare broadcast server (bench/live/bare-broadcast.process.ts).

/** A message to send to every connected client. */
export interface ToBroadcast {
  text: string;
}

export interface FromBroadcast {
  type: 'listening';
  port: number;
}
