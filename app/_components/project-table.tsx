interface ProjectRow {
  id: string;
  slug: string;
  name: string;
}

export function ProjectTable({ projects }: { projects: readonly ProjectRow[] }) {
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">Projects you can read</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Slug</th>
          </tr>
        </thead>
        <tbody>
          {projects.map((project) => (
            <tr key={project.id}>
              <th scope="row">{project.name}</th>
              <td>
                <code>{project.slug}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
