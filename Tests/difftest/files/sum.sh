# Run through `executable: /bin/sh`: no shebang, not executable on the controller. Prints the
# sum of its two arguments and the folder it runs in.
echo "$(($1 + $2)) $(pwd)"
