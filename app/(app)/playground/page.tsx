'use client';

import dynamic from 'next/dynamic';

// GraphiQL touches window as it loads: in the browser only, and only on this page.
const Playground = dynamic(() => import('./playground.tsx').then((module) => module.Playground), {
  ssr: false,
  loading: () => <p className="page-status">Loading the playground…</p>,
});

export default function PlaygroundPage() {
  return (
    <>
      <h1 className="visually-hidden">GraphQL playground</h1>
      <Playground />
    </>
  );
}
