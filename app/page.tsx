import { ApolloWrapper } from './_apollo/apollo-wrapper.tsx';
import { LiveRunEventsCard } from './_components/live-run-events-card.tsx';
import { ProjectListCard } from './_components/project-list-card.tsx';
import { SessionGate } from './_components/session-gate.tsx';
import { SignOutButton } from './_components/sign-out-button.tsx';
import { ViewerCard } from './_components/viewer-card.tsx';

export default function HomePage() {
  return (
    <SessionGate>
      <ApolloWrapper>
        <div className="page-heading">
          <h1>Overview</h1>
          <SignOutButton />
        </div>
        <div className="card-grid">
          <ViewerCard />
          <ProjectListCard />
          <LiveRunEventsCard />
        </div>
      </ApolloWrapper>
    </SessionGate>
  );
}
