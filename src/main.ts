import './production-default.ts';
import 'reflect-metadata';
import { exitOnStartFailure, runServer } from './server/run-server.ts';

runServer().catch(exitOnStartFailure);
