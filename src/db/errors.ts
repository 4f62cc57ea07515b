import { Prisma } from '../generated/sqlite/client.ts';

/** A write lost a race on a unique key (Prisma's P2002, on either provider). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
