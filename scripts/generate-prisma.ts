// Generates the Prisma clients of both providers (npm postinstall and `npm run db:generate`).
import { runPrisma } from './prisma-cli';

runPrisma('sqlite', 'file:./data/runtrail.db', ['generate']);
runPrisma('postgresql', 'postgres://127.0.0.1:5432/unused', ['generate']);
console.log('Generated Prisma clients in src/generated/{sqlite,postgres}');
