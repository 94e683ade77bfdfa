import { useEffect } from 'react';

// The first page's head is the shell server's (it knows, e.g., the product's name); the client only
// takes over from the first navigation on.
let serverHeadShown = true;

/**
 * Sets the document's title and `<meta name="description">` while the calling page is shown, from the
 * first client navigation on: the shell's server wrote them for the first page, naming what it shows.
 */
export function useDocumentHead(title: string, description: string): void {
  useEffect(() => {
    if (serverHeadShown) {
      serverHeadShown = false;
      return;
    }
    document.title = title;
    let meta = document.head.querySelector<HTMLMetaElement>('meta[name="description"]');
    if (!meta) {
      meta = document.createElement('meta');
      meta.name = 'description';
      document.head.append(meta);
    }
    meta.content = description;
  }, [title, description]);
}
