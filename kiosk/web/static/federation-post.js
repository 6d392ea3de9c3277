// Sends the signed sign-in on to the portal at once; without script the parent presses the button.
document.getElementById("federation-post").submit();
