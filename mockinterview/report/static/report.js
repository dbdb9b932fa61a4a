(function(){
var a=document.getElementById('answer');if(!a)return;
var words=Array.prototype.slice.call(document.querySelectorAll('#transcript .w'));
var times=words.map(function(w){return parseFloat(w.getAttribute('data-t'));});
var now=null;
function seek(t){a.currentTime=t;var p=a.play();if(p&&p.catch)p.catch(function(){});}
document.addEventListener('click',function(e){var el=e.target.closest?e.target.closest('[data-t]'):null;
if(el){var t=parseFloat(el.getAttribute('data-t'));if(!isNaN(t))seek(t);return;}
var lane=e.target.closest?e.target.closest('[data-t0]'):null;if(!lane)return;
var r=lane.getBoundingClientRect(),t0=parseFloat(lane.getAttribute('data-t0')),t1=parseFloat(lane.getAttribute('data-t1'));
seek(Math.max(0,t0+(e.clientX-r.left)/r.width*(t1-t0)));});
var heads=Array.prototype.slice.call(document.querySelectorAll('.playhead'));
document.addEventListener('keydown',function(e){if(e.key!=='Enter'&&e.key!==' ')return;
var el=document.activeElement;if(el&&el.hasAttribute&&el.hasAttribute('data-t')){e.preventDefault();
seek(parseFloat(el.getAttribute('data-t')));}});
a.addEventListener('timeupdate',function(){var t=a.currentTime,lo=0,hi=times.length-1,i=-1;
heads.forEach(function(h){var t1=parseFloat(h.getAttribute('data-end')),x=parseFloat(h.getAttribute('data-left'))+
Math.min(t/t1,1)*parseFloat(h.getAttribute('data-width'));h.setAttribute('x1',x);h.setAttribute('x2',x);h.classList.add('on');});
while(lo<=hi){var m=(lo+hi)>>1;if(times[m]<=t){i=m;lo=m+1;}else hi=m-1;}
var w=i>=0?words[i]:null;if(w===now)return;if(now)now.classList.remove('now');if(w)w.classList.add('now');now=w;});
})();
