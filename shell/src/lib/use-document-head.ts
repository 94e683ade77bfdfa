import { useEffect } from 'react';

/**
 * Sets the document's title and `<meta name="description">` while the calling page is shown (the
 * shell's server wrote them for the first page; this keeps them right across client navigations).
 */
export function useDocumentHead(title: string, description: string): void {
  useEffect(() => {
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
