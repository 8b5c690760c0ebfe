/** Live preview: wired to the streaming denoiser's worklet (engine/stream) once it exists. */
export function LiveView() {
  return (
    <div className="workspace live" data-testid="live-view">
      <main className="editor padded">
        <p className="muted">Live preview is not available in this build yet.</p>
      </main>
    </div>
  );
}
