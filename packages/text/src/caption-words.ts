// Word tokenisation for captions: lower-case words with ',' and ':' as tokens of their own, and its inverse.

/**
 * Split a caption into word tokens; commas and colons become separate tokens.
 * @example captionTokens('thumbs up: medium skin tone') // ['thumbs', 'up', ':', 'medium', 'skin', 'tone']
 */
export function captionTokens(caption: string): string[] {
  return caption
    .toLowerCase()
    .replace(/([,:])/g, ' $1 ')
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/**
 * Join caption tokens back into text: no space before ',' and ':'.
 * @example captionText(['a', 'red', 'star', ',', 'a', 'blue', 'circle']) // 'a red star, a blue circle'
 */
export function captionText(tokens: readonly string[]): string {
  return tokens.join(' ').replace(/ ([,:])/g, '$1');
}
